//! One module per subcommand.

pub mod baseline;
pub mod config;
pub mod doctor;
pub mod explain;
pub mod extend;
pub mod grant;
pub mod guard;
pub mod list;
pub mod log;
pub mod rbac;
pub mod reap;
pub mod reaper;
pub mod revoke;
