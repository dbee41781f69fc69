//! The workshop room: the facilitator's model, shown live to everyone in the room on their own
//! phone or laptop, who estimate stages, score initiatives, vote and leave notes that the
//! facilitator takes into the model. A small HTTP and WebSocket server (axum, on tokio) that
//! reaches the model through a [`Host`] (the desktop app, or `tributary room serve`), like any
//! other caller of the api.
//!
//! Start at [`open`]; the protocol's messages are `tributary_api::room`; `docs/room.md` says
//! what the room does and its security model.

mod actions;
pub mod assets;
mod feed;
pub mod host;
mod serve;
mod server;
pub mod state;
pub mod token;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{broadcast, oneshot};
use tributary_api::room::{ClientMsg, ServerMsg};
use tributary_api::{ApiError, ErrorCode};

pub use assets::{Asset, Assets, DirAssets, NoAssets};
pub use host::{Host, SessionHost};
pub use serve::{ctrl_c, serve_file};
pub use server::{BURST, MAX_CONNECTIONS, MAX_DROPPED, MAX_MESSAGE, RATE};

use actions::{Event, Shared};
use state::{FACILITATOR, State};
use token::Token;

/// Where the room listens.
#[derive(Debug, Clone)]
pub struct Options {
    /// The address to listen on: a LAN address, 0.0.0.0 for every interface, or 127.0.0.1
    /// for this computer only.
    pub bind: IpAddr,
    /// 0 for any free port.
    pub port: u16,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    #[error("cannot open the room on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Model(#[from] ApiError),
}

/// An open room. Closing it (or dropping it) ends every connection, and its tokens with it.
pub struct RoomHandle {
    shared: Arc<Shared>,
    server: Arc<server::Server>,
    addr: SocketAddr,
    host_name: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// Opens a room on the model `host` holds: reads the model, binds, and serves on the current
/// tokio runtime until closed.
pub async fn open(
    host: Arc<dyn Host>,
    assets: Arc<dyn Assets>,
    options: Options,
) -> Result<RoomHandle, RoomError> {
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| RoomError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| RoomError::Bind { addr, source })?;
    let (events, _) = broadcast::channel(1024);
    let shared = Arc::new(Shared {
        host,
        assets,
        join: Token::new(),
        facilitator: Token::new(),
        state: std::sync::Mutex::new(State::new()),
        feed: std::sync::Mutex::new(Default::default()),
        events,
        join_url: Default::default(),
    });
    let first = shared.clone();
    tokio::task::spawn_blocking(move || first.refresh())
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))??;
    let server = Arc::new(server::Server {
        shared: shared.clone(),
        connections: AtomicUsize::new(0),
    });
    let app = server::router(server.clone());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    let room = RoomHandle {
        shared,
        server,
        host_name: url_host(addr.ip()),
        addr,
        stop: Some(stop),
        task: Some(task),
    };
    let _ = room.shared.join_url.set(room.join_url());
    Ok(room)
}

/// The address to put in URLs: the one listened on, or where that is every interface, this
/// computer's first LAN address.
fn url_host(ip: IpAddr) -> String {
    let ip = if ip.is_unspecified() {
        addresses()
            .into_iter()
            .find(|a| !a.loopback)
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |a| a.ip)
    } else {
        ip
    };
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

/// A network address of this computer, for the facilitator to choose where the room listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub ip: IpAddr,
    /// The interface's name ("wlan0").
    pub interface: String,
    pub loopback: bool,
}

/// This computer's IPv4 addresses, the LAN ones first.
pub fn addresses() -> Vec<Address> {
    let mut out: Vec<Address> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i.ip().is_ipv4())
        .map(|i| Address {
            ip: i.ip(),
            loopback: i.is_loopback(),
            interface: i.name,
        })
        .collect();
    out.sort_by_key(|a| a.loopback);
    out
}

impl RoomHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address participants open: the join token is in its path.
    pub fn join_url(&self) -> String {
        self.url(self.shared.join.as_str())
    }

    /// The facilitator's own address (for a room run without the app).
    pub fn facilitator_url(&self) -> String {
        self.url(self.shared.facilitator.as_str())
    }

    fn url(&self, token: &str) -> String {
        format!("http://{}:{}/r/{token}/", self.host_name, self.addr.port())
    }

    /// The join URL as a QR code, an SVG for the projector.
    pub fn join_qr_svg(&self) -> String {
        qr_svg(&self.join_url())
    }

    /// The join URL as a QR code in text, for a terminal.
    pub fn join_qr_text(&self) -> String {
        use qrcode::render::unicode::Dense1x2;
        match qrcode::QrCode::new(self.join_url().as_bytes()) {
            Ok(code) => code
                .render::<Dense1x2>()
                .dark_color(Dense1x2::Light)
                .light_color(Dense1x2::Dark)
                .build(),
            Err(_) => String::new(),
        }
    }

    /// Open WebSocket connections.
    pub fn connections(&self) -> usize {
        self.server.connections.load(Ordering::Relaxed)
    }

    /// The host changed the model (an edit in the app): everyone gets the changes.
    pub async fn changed(&self) -> Result<(), ApiError> {
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || shared.refresh())
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
    }

    /// The facilitator acts from the app: a message as if sent on the facilitator's
    /// connection. The reply, if any (a refusal, a result).
    pub async fn act(&self, msg: ClientMsg) -> Option<ServerMsg> {
        self.shared.act(FACILITATOR, msg).await
    }

    /// The room as the facilitator sees it.
    pub fn facilitator_view(&self) -> Option<ServerMsg> {
        self.shared.state().ok().map(|s| s.view_for(FACILITATOR))
    }

    /// Waits for the next change to the room or its model (for the app to show it).
    pub fn subscribe(&self) -> RoomEvents {
        RoomEvents(self.shared.events.subscribe())
    }

    /// Closes the room: every participant is told, the server stops, the tokens die.
    pub async fn close(mut self) {
        self.shut();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    fn shut(&mut self) {
        let _ = self.shared.events.send(Event::Closing);
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// `text` as a QR code in SVG (served as `/r/TOKEN/join.svg` too).
fn qr_svg(text: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color<'_>>()
            .min_dimensions(320, 320)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

impl Drop for RoomHandle {
    fn drop(&mut self) {
        self.shut();
    }
}

/// Changes to a room, for the app to show.
pub struct RoomEvents(broadcast::Receiver<Event>);

impl RoomEvents {
    /// The next change; `false` when the room has closed.
    pub async fn next(&mut self) -> bool {
        !matches!(
            self.0.recv().await,
            Ok(Event::Closing) | Err(broadcast::error::RecvError::Closed)
        )
    }
}
