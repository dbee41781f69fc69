//! `tributary room serve FILE`: a workshop room on a model file, without the app. Prints the
//! join address first (for the projector or a chat), then the facilitator's; Ctrl-C closes it.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use tributary_api::ApiError;
use tributary_room::{Options, RoomError};

#[derive(Debug, Subcommand)]
pub enum RoomCmd {
    /// Open a room on a model file: participants join from their browsers.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    file: PathBuf,
    /// The address to listen on: 0.0.0.0 for the room's network, 127.0.0.1 for this
    /// computer only.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port; 0 for any free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The folder of the built web UI (ui/dist) to serve to participants; by default the one
    /// the package installs beside the command (/usr/share/tributary/ui).
    #[arg(long)]
    ui: Option<PathBuf>,
    /// Print the join address as a QR code too.
    #[arg(long)]
    qr: bool,
}

pub fn run(cmd: RoomCmd) -> Result<ExitCode, ApiError> {
    let RoomCmd::Serve(a) = cmd;
    let options = Options {
        bind: a.bind,
        port: a.port,
    };
    let ready = |room: &tributary_room::RoomHandle| {
        println!("{}", room.join_url());
        println!("{}", room.facilitator_url());
        if a.qr {
            println!("{}", room.join_qr_text());
        }
        eprintln!("The room is open: participants open the first address. Ctrl-C closes it.");
    };
    match tributary_room::serve_file(
        &a.file,
        options,
        a.ui.clone().or_else(installed_ui).as_deref(),
        ready,
        tributary_room::ctrl_c(),
    ) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(RoomError::Model(e)) => Err(e),
        Err(e @ RoomError::Bind { .. }) => Err(ApiError::new(
            tributary_api::ErrorCode::Invalid,
            e.to_string(),
        )),
    }
}

/// The web UI a package installs beside the command (`/usr/bin/../share/tributary/ui`).
fn installed_ui() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok();
    let dir = tributary_api::app::installed(exe.as_deref(), "tributary/ui")?;
    dir.join("room.html").is_file().then_some(dir)
}
