//! Typesetting the board report with typst, used as a library: a [`typst::World`] whose only
//! files are the template compiled into the binary and the report data as JSON, and whose
//! only fonts are the embedded ones. No network, no system fonts, no clock.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::error::{ReportError, Result};
use crate::fonts;

/// The report template (typst markup written by us; user text arrives only through the data).
pub const TEMPLATE: &str = include_str!("../../../assets/report/report.typ");
/// Shared drawing and table helpers the template imports.
pub const LIB: &str = include_str!("../../../assets/report/lib.typ");

const MAIN_PATH: &str = "/report.typ";
const LIB_PATH: &str = "/lib.typ";
const DATA_PATH: &str = "/data.json";

fn file_id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(path)
        .map_err(|e| ReportError::Typeset(format!("bad virtual path {path}: {e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Fonts, parsed once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn embedded_fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = fonts::FACES
            .iter()
            .flat_map(|(_, bytes)| Font::iter(Bytes::new(*bytes)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

/// The report's world: the template, its helpers and the data, nothing else.
struct ReportWorld {
    main: Source,
    lib: Source,
    main_id: FileId,
    lib_id: FileId,
    data_id: FileId,
    data: Bytes,
    today: Datetime,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &embedded_fonts().book
    }

    fn main(&self) -> FileId {
        self.main_id
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main_id {
            Ok(self.main.clone())
        } else if id == self.lib_id {
            Ok(self.lib.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main_id {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else if id == self.lib_id {
            Ok(Bytes::from_string(self.lib.text().to_owned()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        embedded_fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// Typesets the template with `data` (JSON) into pages.
pub fn typeset(data: Vec<u8>, date: crate::ReportDate) -> Result<PagedDocument> {
    let main_id = file_id(MAIN_PATH)?;
    let lib_id = file_id(LIB_PATH)?;
    let world = ReportWorld {
        main: Source::new(main_id, TEMPLATE.to_owned()),
        lib: Source::new(lib_id, LIB.to_owned()),
        main_id,
        lib_id,
        data_id: file_id(DATA_PATH)?,
        data: Bytes::new(data),
        today: Datetime::from_ymd(i32::from(date.year), date.month, date.day)
            .ok_or_else(|| ReportError::BadDate(date.to_string()))?,
    };
    let warned = typst::compile::<PagedDocument>(&world);
    // typst memoises its work; keep what the last few reports used (a preview followed by
    // the export of the same model is then fast) and let the rest go, so a long-running
    // app does not grow without bound.
    typst::comemo::evict(10);
    warned
        .output
        .map_err(|errors| ReportError::Typeset(describe(&errors)))
}

/// Writes the pages as PDF, with the report's date as the document date.
pub fn write_pdf(doc: &PagedDocument, date: crate::ReportDate) -> Result<Vec<u8>> {
    let timestamp = Datetime::from_ymd(i32::from(date.year), date.month, date.day)
        .map(typst_pdf::Timestamp::new_utc);
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom("tributary-report".to_owned()),
        // the version that made it, in the document's metadata ("Tributary 0.1.0")
        creator: typst::foundations::Smart::Custom(Some(format!(
            "Tributary {}",
            env!("CARGO_PKG_VERSION")
        ))),
        timestamp,
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|errors| ReportError::Pdf(describe(&errors)))
}

/// One page as PNG at `pixels_per_pt` (2.0 is about 144 dpi).
pub fn page_png(doc: &PagedDocument, index: usize, pixels_per_pt: f32) -> Result<Vec<u8>> {
    let pages = doc.pages();
    let page = pages.get(index).ok_or(ReportError::NoSuchPage {
        page: index + 1,
        pages: pages.len(),
    })?;
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(pixels_per_pt)),
        ..typst_render::RenderOptions::default()
    };
    let pixmap = typst_render::render(page, &options);
    pixmap
        .encode_png()
        .map_err(|e| ReportError::Png(e.to_string()))
}

fn describe(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| {
            let mut s = e.message.to_string();
            for h in &e.hints {
                s.push_str(&format!(" (hint: {})", h.v));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}
