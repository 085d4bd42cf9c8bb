//! One module per subcommand.

pub mod grant;
