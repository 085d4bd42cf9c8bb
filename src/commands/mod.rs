//! One module per subcommand.

pub mod extend;
pub mod grant;
pub mod list;
pub mod log;
pub mod reap;
pub mod reaper;
pub mod revoke;
