//! One module per subcommand.

pub mod eval;
pub mod generate;
pub mod index;
pub mod parse;
pub mod paths;
pub mod related;
pub mod resources;
pub mod search;
pub mod serve;
pub mod stats;
pub mod trends;
