//! The one error of the statistics: an argument outside what they are defined for.
//!
//! Window lengths, burst parameters and series usually come from an analyst's request,
//! so the message names the argument, the value given and what was expected, in words
//! the request can be fixed with. (Evaluation files have their own error,
//! [`super::eval::EvalFileError`], which names a file and a line instead.)

use std::fmt;

/// An argument outside the range a statistic is defined for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArgument {
    /// The argument's name as the caller spells it (`recent_weeks`, `s`, `counts` …).
    pub name: &'static str,
    /// The value given, as text (with where it sits, for vectors: `-1 in week 3`).
    pub value: String,
    /// What would have been accepted.
    pub expected: String,
}

impl InvalidArgument {
    /// An error for argument `name`, given `value` where `expected` was wanted.
    pub fn new(name: &'static str, value: impl Into<String>, expected: impl Into<String>) -> Self {
        InvalidArgument {
            name,
            value: value.into(),
            expected: expected.into(),
        }
    }
}

impl fmt::Display for InvalidArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid `{}`: {}; expected {}",
            self.name, self.value, self.expected
        )
    }
}

impl std::error::Error for InvalidArgument {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_argument_value_and_expectation() {
        let err = InvalidArgument::new("s", "0.5", "a number greater than 1");
        assert_eq!(
            err.to_string(),
            "invalid `s`: 0.5; expected a number greater than 1"
        );
    }
}
