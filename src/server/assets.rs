//! The site's `/pkg/` files (the wasm, its JavaScript and the stylesheet), compressed once ahead
//! of time with brotli's and gzip's best settings and served as they are (`ServeDir` picks
//! `file.br` or `file.gz` by the browser's `Accept-Encoding`). Compressing the wasm per request
//! would cost a core for a second each time; at build quality the release bundle is about a
//! third smaller than what on-the-fly compression gives.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Files above this size are compressed less hard: a debug build's pieces of wasm are several
/// MB each (brotli at its best takes seconds per MB), a release build's are about 1 MB or less.
const BEST_UP_TO: u64 = 2 * 1024 * 1024;

/// Writes `NAME.br` and `NAME.gz` beside each `.wasm`, `.js` and `.css` file of `dir` that
/// lacks them or has older ones. Returns how many files were compressed.
pub fn precompress(dir: &Path) -> std::io::Result<usize> {
    let mut done = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    for entry in entries {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "wasm" | "js" | "css"));
        if !wanted {
            continue;
        }
        let modified = std::fs::metadata(&path)?.modified()?;
        let stale = |suffix: &str| {
            std::fs::metadata(beside(&path, suffix))
                .and_then(|m| m.modified())
                .map_or(true, |m| m < modified)
        };
        if !stale("br") && !stale("gz") {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let best = bytes.len() as u64 <= BEST_UP_TO;
        let mut br = Vec::new();
        {
            let params = brotli::enc::BrotliEncoderParams {
                quality: if best { 11 } else { 5 },
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut bytes.as_slice(), &mut br, &params)?;
        }
        write_atomically(&beside(&path, "br"), &br)?;
        let mut gz = flate2::write::GzEncoder::new(
            Vec::new(),
            if best {
                flate2::Compression::best()
            } else {
                flate2::Compression::fast()
            },
        );
        gz.write_all(&bytes)?;
        write_atomically(&beside(&path, "gz"), &gz.finish()?)?;
        done += 1;
    }
    Ok(done)
}

fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Another instance (or a browser) never sees half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = beside(path, "tmp");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// Compresses the site's `/pkg/` files in the background (the server answers meanwhile, with
/// the files compressed per request).
pub fn spawn_precompress(site_root: &str) {
    let dir = Path::new(site_root).join("pkg");
    tokio::task::spawn_blocking(move || match precompress(&dir) {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "site files compressed ahead of time"),
        Err(err) => tracing::warn!(error = %err, "could not compress the site files"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compresses_each_asset_once_and_again_when_it_changes() {
        let dir = tempfile::tempdir().expect("dir");
        let wasm = dir.path().join("app.0123456789abcdef.wasm");
        let body = b"(module) ".repeat(5000);
        std::fs::write(&wasm, &body).expect("write");
        std::fs::write(dir.path().join("notes.txt"), b"not an asset").expect("write");
        assert_eq!(precompress(dir.path()).expect("compress"), 1);
        let br = std::fs::read(beside(&wasm, "br")).expect("br");
        let gz = std::fs::read(beside(&wasm, "gz")).expect("gz");
        assert!(br.len() < body.len() / 10 && gz.len() < body.len() / 10);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut br.as_slice(), &mut back).expect("brotli");
        assert_eq!(back, body);
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gz.as_slice()), &mut back)
            .expect("gzip");
        assert_eq!(back, body);
        assert_eq!(
            precompress(dir.path()).expect("again"),
            0,
            "nothing changed"
        );
        assert!(!dir.path().join("notes.txt.br").exists());
    }
}
