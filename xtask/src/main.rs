//! Build helper: `cargo run -p xtask -- site` compiles the browser bundle into `target/site/pkg`
//! (wasm-bindgen as a library, wasm-opt when installed, CSS copied, gzip and brotli copies).
//!
//! It does what `cargo leptos build --release` does for the front end, without the 20-minute
//! cargo-leptos install; `cargo leptos watch` still works for development.

use anyhow::{Context, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const OUTPUT_NAME: &str = "khien-so";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("site") => build_site(args.iter().any(|a| a == "--dev")),
        _ => {
            eprintln!("usage: cargo run -p xtask -- site [--dev]");
            std::process::exit(2);
        }
    }
}

fn build_site(dev: bool) -> anyhow::Result<()> {
    let root = workspace_root();
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .unwrap_or_else(|| root.join("target"));
    let profile = if dev { "dev" } else { "wasm-release" };
    let profile_dir = if dev { "debug" } else { "wasm-release" };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(&root)
        .args([
            "build",
            "-p",
            "frontend",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            profile,
        ])
        .status()
        .context("running cargo build for the wasm target")?;
    if !status.success() {
        bail!("cargo build of the front end failed");
    }
    let wasm = target_dir
        .join("wasm32-unknown-unknown")
        .join(profile_dir)
        .join("frontend.wasm");
    let pkg = root.join("target/site/pkg");
    std::fs::create_dir_all(&pkg)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)?
        .out_name(OUTPUT_NAME)
        .debug(dev)
        .keep_debug(dev)
        .generate(&pkg)
        .context("wasm-bindgen")?;
    let bg = pkg.join(format!("{OUTPUT_NAME}_bg.wasm"));
    let wasm_opt = find_wasm_opt(&root);
    if let (false, Some(wasm_opt)) = (dev, wasm_opt) {
        match Command::new(&wasm_opt)
            .arg("-Oz")
            .arg("--enable-bulk-memory")
            .arg("--enable-nontrapping-float-to-int")
            .arg("--enable-sign-ext")
            .arg("--enable-mutable-globals")
            .arg("--enable-reference-types")
            .arg("--enable-multivalue")
            .arg(&bg)
            .arg("-o")
            .arg(&bg)
            .status()
        {
            Ok(s) if s.success() => {}
            Ok(_) => bail!("wasm-opt failed"),
            Err(e) => bail!("cannot run {}: {e}", wasm_opt.display()),
        }
    } else if !dev {
        eprintln!(
            "warning: no usable wasm-opt (scripts/demo.sh and scripts/test.sh install one into .tools/); the wasm stays larger"
        );
    }
    std::fs::copy(
        root.join("style/main.css"),
        pkg.join(format!("{OUTPUT_NAME}.css")),
    )?;
    for ext in ["js", "wasm", "css"] {
        let path = if ext == "wasm" {
            bg.clone()
        } else {
            pkg.join(format!("{OUTPUT_NAME}.{ext}"))
        };
        precompress(&path)?;
    }
    for ext in ["js", "wasm", "css"] {
        let path = if ext == "wasm" {
            bg.clone()
        } else {
            pkg.join(format!("{OUTPUT_NAME}.{ext}"))
        };
        let raw = std::fs::metadata(&path)?.len();
        let gz = std::fs::metadata(path.with_extension(format!("{ext}.gz")))?.len();
        let br = std::fs::metadata(path.with_extension(format!("{ext}.br")))?.len();
        println!(
            "{:<24} {raw:>9} B raw {gz:>9} B gzip {br:>9} B brotli",
            path.file_name().unwrap().to_string_lossy()
        );
    }
    Ok(())
}

/// `WASM_OPT` (a path, or `none`), else the pinned copy in `.tools/`, else a `wasm-opt` on PATH
/// of version 116 or newer. Older ones (Debian's 108) corrupt wasm-bindgen's externref table.
fn find_wasm_opt(root: &Path) -> Option<PathBuf> {
    if let Ok(path) = std::env::var("WASM_OPT") {
        return (path != "none").then(|| PathBuf::from(path));
    }
    let pinned = root.join(".tools/node_modules/.bin/wasm-opt");
    if pinned.exists() {
        return Some(pinned);
    }
    let output = Command::new("wasm-opt").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version: u32 = text
        .split_whitespace()
        .nth(2)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    (version >= 116).then(|| PathBuf::from("wasm-opt"))
}

/// Writes `file.gz` and `file.br` beside `file` for tower-http's precompressed serving.
fn precompress(path: &Path) -> anyhow::Result<()> {
    let data = std::fs::read(path)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&data)?;
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    std::fs::write(path.with_file_name(format!("{name}.gz")), gz.finish()?)?;
    let mut br = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        writer.write_all(&data)?;
    }
    std::fs::write(path.with_file_name(format!("{name}.br")), br)?;
    Ok(())
}
