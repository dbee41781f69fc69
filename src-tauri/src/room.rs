//! The workshop room hosted by the app: the room (`tributary-room`) serves the open model and
//! the app's own bundled web UI; its edits go through the app's session (one writer) and show
//! in the window, and the app's edits reach the room. The shell only starts and stops it.

use std::borrow::Cow;
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;

use tauri::async_runtime;
use tauri::{AppHandle, Manager};
use tributary_api::engine::edit::Command;
use tributary_api::ipc::{AppEvent, RoomAddress, RoomStatus};
use tributary_api::{ApiError, ErrorCode, ModelView};
use tributary_room::{Asset, Assets, Host, Options, RoomError, RoomHandle};

use crate::bridge::Ctx;
use crate::{Result, Shell, internal, set_title};

/// The room the app has open, if any (its own lock: the room's calls take the shell's).
#[derive(Default)]
pub struct Rooms {
    room: async_runtime::Mutex<Option<RoomHandle>>,
}

/// The app's open session, as the room sees it.
struct AppHost {
    app: AppHandle,
}

impl AppHost {
    fn with<T>(&self, f: impl FnOnce(&mut Shell) -> Result<T>) -> Result<T> {
        let state = self.app.state::<Mutex<Shell>>();
        let mut shell = state.lock().map_err(internal)?;
        f(&mut shell)
    }

    /// After an edit from the room: the window asks for the changes, as after its own edit.
    fn edited(&self, shell: &mut Shell) {
        shell.mark_edited();
        set_title(&self.app, shell);
        if let Some(events) = &shell.events {
            let _ = events.send(AppEvent::ModelChanged);
        }
    }
}

impl Host for AppHost {
    fn view(&self) -> Result<ModelView> {
        self.with(|s| s.current_view())
    }

    fn execute(&self, command: &Command) -> Result<i64> {
        self.with(|s| {
            let step = s.session_mut()?.execute_step(command)?;
            self.edited(s);
            Ok(step)
        })
    }

    fn revert(&self, step: i64, label: &str) -> Result<i64> {
        self.with(|s| {
            let step = s.session_mut()?.revert(step, label)?;
            self.edited(s);
            Ok(step)
        })
    }
}

/// The web UI the app embeds (`ui/dist`), through Tauri's asset resolver: the installed app
/// needs no folder on disk.
struct AppAssets {
    app: AppHandle,
    /// The files embedded: the resolver answers any other path with `index.html`, the room
    /// answers it with "not found".
    names: HashSet<String>,
}

impl AppAssets {
    fn new(app: &AppHandle) -> AppAssets {
        let names = app
            .asset_resolver()
            .iter()
            .map(|(name, _)| name.trim_start_matches('/').to_owned())
            .collect();
        AppAssets {
            app: app.clone(),
            names,
        }
    }
}

impl Assets for AppAssets {
    fn get(&self, path: &str) -> Option<Asset> {
        if !self.names.contains(path) {
            return None;
        }
        let asset = self.app.asset_resolver().get(path.to_owned())?;
        Some(Asset {
            bytes: Cow::Owned(asset.bytes),
            mime: tributary_room::assets::mime_of(path),
        })
    }
}

/// The app's model changed (an edit, undo, redo): everyone in the room gets the changes.
/// Off the command's path, after the shell's lock is released (the room reads through it).
pub fn changed(app: &AppHandle) {
    let app = app.clone();
    async_runtime::spawn(async move {
        let rooms = app.state::<Rooms>();
        let room = rooms.room.lock().await;
        if let Some(room) = room.as_ref() {
            let _ = room.changed().await;
        }
    });
}

/// Another model is opened: the room on the old one closes.
pub async fn close(app: &AppHandle) {
    let room = app.state::<Rooms>().room.lock().await.take();
    if let Some(room) = room {
        room.close().await;
    }
}

pub fn addresses() -> Vec<RoomAddress> {
    tributary_room::addresses()
        .into_iter()
        .map(|a| RoomAddress {
            ip: a.ip.to_string(),
            interface: a.interface,
            loopback: a.loopback,
        })
        .collect()
}

/// Where to listen: the address asked for, else the first LAN address, else this computer.
fn bind_address(bind: Option<&str>) -> Result<IpAddr> {
    match bind {
        Some(b) => b.trim().parse().map_err(|_| {
            ApiError::new(ErrorCode::Invalid, format!("bad address {b:?}"))
                .with_plain(format!("“{b}” is not a network address of this computer."))
        }),
        None => Ok(tributary_room::addresses()
            .into_iter()
            .find(|a| !a.loopback)
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |a| a.ip)),
    }
}

/// A room that could not open, in the facilitator's words.
fn plain(e: RoomError) -> ApiError {
    match e {
        RoomError::Bind { addr, source } => {
            let why = match source.kind() {
                std::io::ErrorKind::AddrInUse => format!(
                    "port {} is in use by another program. Try again: the room picks a free one.",
                    addr.port()
                ),
                std::io::ErrorKind::AddrNotAvailable => format!(
                    "this computer is not on the network of {} (any more). Choose another \
                     address, or connect to the room's network first.",
                    addr.ip()
                ),
                std::io::ErrorKind::PermissionDenied => {
                    format!("this computer does not let Tributary listen on {addr}.")
                }
                _ => format!("{source}."),
            };
            ApiError::new(ErrorCode::Io, format!("cannot listen on {addr}: {source}"))
                .with_plain(format!("The room could not open: {why}"))
        }
        RoomError::Model(e) => e,
    }
}

fn status(room: &RoomHandle) -> RoomStatus {
    let addr = room.addr();
    RoomStatus {
        join_url: room.join_url(),
        facilitator_url: room.facilitator_url(),
        join_qr_svg: room.join_qr_svg(),
        connections: u32::try_from(room.connections()).unwrap_or(u32::MAX),
        address: addr.to_string(),
        local_only: addr.ip().is_loopback(),
    }
}

/// Opens the room on the open model (closing one already open, so that a second click on
/// another address moves it).
pub async fn open(cx: &Ctx<'_>, bind: Option<String>) -> Result<RoomStatus> {
    cx.lock()?.session()?;
    let options = Options {
        bind: bind_address(bind.as_deref())?,
        port: 0,
    };
    let host = std::sync::Arc::new(AppHost {
        app: cx.app.clone(),
    });
    let assets = std::sync::Arc::new(AppAssets::new(cx.app));
    let rooms = cx.app.state::<Rooms>();
    let mut slot = rooms.room.lock().await;
    if let Some(old) = slot.take() {
        old.close().await;
    }
    let room = tributary_room::open(host, assets, options)
        .await
        .map_err(plain)?;
    let shown = status(&room);
    *slot = Some(room);
    Ok(shown)
}

pub async fn current(app: &AppHandle) -> Option<RoomStatus> {
    app.state::<Rooms>().room.lock().await.as_ref().map(status)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_port_in_use_is_said_in_plain_words() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap();
        let source = std::net::TcpListener::bind(addr).unwrap_err();
        let e = plain(RoomError::Bind { addr, source });
        assert!(
            e.plain.contains(&format!("port {}", addr.port())),
            "{}",
            e.plain
        );
        assert!(e.plain.contains("in use"), "{}", e.plain);
    }

    #[test]
    fn the_default_address_is_a_lan_one_when_there_is_one() {
        let ip = bind_address(None).unwrap();
        let lan = tributary_room::addresses()
            .into_iter()
            .find(|a| !a.loopback);
        assert_eq!(ip.is_loopback(), lan.is_none());
        assert_eq!(
            bind_address(Some(" 127.0.0.1 ")).unwrap(),
            Ipv4Addr::LOCALHOST
        );
        assert!(
            bind_address(Some("the lan"))
                .unwrap_err()
                .plain
                .contains("the lan")
        );
    }
}
