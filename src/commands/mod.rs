//! One module per subcommand.

pub mod generate;
pub mod index;
pub mod parse;
pub mod stats;
