//! The `jiebang` server binary: `serve` (default), `seed`, `migrate`, `create-admin`, `compress`,
//! `backup`, `restore`, `export-json`.

use clap::{Parser, Subcommand};
use jiebang::server::{AppState, Clock, Config, app, db, seed};
use leptos::config::LeptosOptions;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// A server allocator: returns freed memory to the system and keeps threads from fragmenting it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "jiebang", version, about = "揭榜 — 年度重点任务管理")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the app (the default).
    Serve {
        /// Load the demo plan (大鹏新区 2022) if the database has no plan yet.
        #[arg(long, env = "JIEBANG_DEMO")]
        demo: bool,
    },
    /// Apply migrations and load the demo plan into an empty database.
    Seed,
    /// Apply pending migrations and exit.
    Migrate,
    /// Compress the site's /pkg/ files (brotli and gzip, beside each file) and exit. `serve`
    /// does the same in the background; doing it once after a build spares every server
    /// started afterwards (the test suite starts several) the work.
    Compress,
    /// Write a backup (the database and every evidence file) to FILE, a zip archive. Runs
    /// beside a running server over `ws://`; with the embedded store, stop the server first
    /// (one process holds the data directory).
    Backup {
        /// The archive to write (replaced only once complete).
        file: std::path::PathBuf,
    },
    /// Restore a backup into an empty database (and its evidence files), then apply any newer
    /// migrations. Refuses a database that holds anything unless --replace is given.
    Restore {
        /// The archive written by `backup`.
        file: std::path::PathBuf,
        /// Empty the database first (everything in it is lost).
        #[arg(long)]
        replace: bool,
    },
    /// Write one plan as JSON for other tools (format `jiebang.plan/1`: the plan, every task
    /// with its goals, criteria, responsibility, status and light, every 报送ed report). With
    /// the embedded store, stop the server first (one process holds the data directory).
    ExportJson {
        /// The plan's id (default: the current published plan).
        #[arg(long)]
        plan: Option<String>,
        /// Where to write it (default: standard output).
        file: Option<std::path::PathBuf>,
    },
    /// Create an administrator account (the first one, or another). The password is read
    /// from JIEBANG_ADMIN_PASSWORD or, if unset, from the first line of standard input.
    CreateAdmin {
        /// Sign-in name (3–32 lower-case letters, digits, . _ -).
        username: String,
        /// Display name.
        #[arg(long, default_value = "系统管理员")]
        name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("JIEBANG_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,surrealdb=warn,surrealkv=error")),
        )
        .init();
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve { demo: false })).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("jiebang: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    let config = Config::from_env()?;
    if let Command::Compress = command {
        let dir = std::path::Path::new(&config.site_root).join("pkg");
        let done = jiebang::server::assets::precompress(&dir)
            .map_err(|e| format!("无法压缩站点文件 {}: {e}", dir.display()))?;
        println!("{done} 个站点文件已压缩 ({})", dir.display());
        return Ok(());
    }
    if let Some(path) = config.db_url.strip_prefix("surrealkv://")
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("无法创建数据目录 {}: {e}", parent.display()))?;
    }
    let database = db::connect(&config)
        .await
        .map_err(|e| format!("无法连接数据库 {}: {e}", config.db_url))?;
    // A restore goes into the database as the backup left it; newer migrations follow.
    if let Command::Restore { file, replace } = &command {
        let files = file_store(&config)?;
        let bar = progress_bar();
        let manifest = jiebang::server::backup::restore(
            &database,
            &config.db_name,
            &files,
            file,
            *replace,
            &|step| show(&bar, step),
        )
        .await?;
        bar.finish_and_clear();
        db::migrations::migrate(&database)
            .await
            .map_err(|e| format!("数据库迁移失败: {e}"))?;
        println!(
            "已恢复 {}:{} 张表共 {} 条记录,{} 个佐证材料(备份于 {})",
            file.display(),
            manifest.tables.len(),
            manifest.tables.values().sum::<u64>(),
            manifest.files.len(),
            manifest.created_at.format("%Y-%m-%d %H:%M:%S UTC")
        );
        return Ok(());
    }
    let applied = db::migrations::migrate(&database)
        .await
        .map_err(|e| format!("数据库迁移失败: {e}"))?;
    tracing::info!(db = %config.db_url, applied = ?applied, "database ready");

    match command {
        // `compress` and `restore` have answered above.
        Command::Migrate | Command::Compress | Command::Restore { .. } => Ok(()),
        Command::Backup { file } => {
            let files = file_store(&config)?;
            let bar = progress_bar();
            let manifest =
                jiebang::server::backup::backup(&database, &files, &file, &|step| show(&bar, step))
                    .await?;
            bar.finish_and_clear();
            println!(
                "已备份到 {}:{} 张表共 {} 条记录,{} 个佐证材料",
                file.display(),
                manifest.tables.len(),
                manifest.tables.values().sum::<u64>(),
                manifest.files.len()
            );
            Ok(())
        }
        Command::CreateAdmin { username, name } => {
            let password = match std::env::var("JIEBANG_ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .map_err(|e| format!("无法读取密码: {e}"))?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let form = jiebang::domain::AccountForm {
                username,
                display_name: name,
                role: jiebang::domain::Role::Admin.code().to_owned(),
                unit: String::new(),
                person: String::new(),
            };
            let input = jiebang::domain::AccountInput::parse(&form)
                .map_err(|e| jiebang::AppError::Invalid(e).to_string())?;
            db::accounts::create_account(
                &database,
                &jiebang::domain::Actor::system(),
                &input,
                &password,
            )
            .await
            .map_err(|e| e.to_string())?;
            println!("已创建管理员账号 {}", input.username.as_str());
            Ok(())
        }
        Command::ExportJson { plan, file } => {
            let plan = plan
                .map(|p| jiebang::domain::PlanId::parse(&p).ok_or(format!("清单编号无效: {p}")))
                .transpose()?;
            let today = config.today.map_or(Clock::System, Clock::Fixed).today();
            let ledger = match &plan {
                Some(p) => db::ledger::plan_ledger(&database, p, today).await,
                None => db::ledger::board_ledger(&database, None, today).await,
            }
            .map_err(|e| e.to_string())?
            .ok_or("没有这份任务清单(未指定时为当前已发布的清单)")?;
            let reports = db::reports::plan_reports(&database, &ledger.plan.id)
                .await
                .map_err(|e| e.to_string())?;
            let json = jiebang::server::export::plan_json(&ledger, &reports, chrono::Utc::now())
                .map_err(|e| e.to_string())?;
            match file {
                Some(path) => {
                    std::fs::write(&path, &json)
                        .map_err(|e| format!("无法写入 {}: {e}", path.display()))?;
                    eprintln!(
                        "已导出 {}:{} 项任务,{} 份报送",
                        path.display(),
                        ledger.rows.len(),
                        reports.len()
                    );
                }
                None => {
                    use std::io::Write;
                    std::io::stdout()
                        .write_all(&json)
                        .map_err(|e| format!("无法输出: {e}"))?;
                }
            }
            Ok(())
        }
        Command::Seed => {
            let report = seed::load_demo(&database)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "已载入演示数据:{} 个单位,{} 项任务",
                report.units, report.tasks
            );
            Ok(())
        }
        Command::Serve { demo } => {
            if demo && seed::is_empty(&database).await.map_err(|e| e.to_string())? {
                let report = seed::load_demo(&database)
                    .await
                    .map_err(|e| e.to_string())?;
                tracing::info!(tasks = report.tasks, "demo plan loaded on first start");
            }
            serve(config, database).await
        }
    }
}

async fn serve(config: Config, database: db::Db) -> Result<(), String> {
    let leptos_options = LeptosOptions::builder()
        .output_name(env!("CARGO_CRATE_NAME"))
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        // cargo-leptos writes the asset hashes beside the binary when it names the files by
        // their content (Cargo.toml: hash-files); pages must then link those names.
        .hash_files(
            std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt").exists()))
                .unwrap_or(false),
        )
        .build();
    let clock = config.today.map_or(Clock::System, Clock::Fixed);
    let sessions = jiebang::server::auth::SessionPolicy {
        secure_cookie: config.secure_cookies,
        ..Default::default()
    };
    let files = file_store(&config)?;
    if let Some(plan) = config.backups.clone() {
        tracing::info!(dir = %plan.dir.display(), keep = plan.keep, "daily backups on");
        jiebang::server::backup::spawn_daily(database.clone(), files.clone(), plan);
    }
    let mut state = AppState::new(database, leptos_options, clock, sessions)
        .with_files(files)
        .with_disk_reserve(jiebang::server::disk::DiskReserve::new(
            config.data_dirs(),
            config.min_free_mb,
        ));
    if let Some(url) = &config.public_url {
        state = state.with_public_url(url);
    }
    if !config.page_cache {
        state = state.without_page_cache();
    }
    // Requests that need the database get a runtime of their own, as many threads as cores.
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    state = state.with_workers(
        jiebang::server::work::Workers::start(cores)
            .map_err(|e| format!("无法启动工作线程: {e}"))?,
    );
    // The holiday calendars an administrator installed replace the shipped years.
    jiebang::server::calendar::load(&state.db.dedicated())
        .await
        .map_err(|e| format!("无法读取节假日安排: {e:?}"))?;
    spawn_housekeeping(state.db.dedicated());
    jiebang::server::assets::spawn_precompress(&config.site_root);
    jiebang::server::reminders::spawn(
        state.clone(),
        config.remind_every,
        config.remind_ahead.clone(),
    );
    // The outbox of the 消息通道: robots and e-mail, a few seconds behind the audit trail.
    jiebang::server::channels::spawn(state.clone(), std::time::Duration::from_secs(5));
    // The live feed: open pages fetch again within a second of any change.
    jiebang::server::live::spawn(&state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("无法监听 {}: {e}", config.addr))?;
    tracing::info!("listening on http://{}", config.addr);
    let service = app(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let live = state.live.clone();
    axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Open live streams would hold the shutdown for as long as their pages stay open.
            live.close();
        })
        .await
        .map_err(|e| format!("服务器错误: {e}"))?;
    // The embedded engine shuts its datastore down in a background task once the last handle
    // is dropped; give that task a moment before the runtime goes away. Commits were already
    // fsynced, so this is about closing cleanly, not about durability.
    drop(state);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    tracing::info!("stopped");
    Ok(())
}

/// Clears expired sessions and old sign-in failures every ten minutes, off the request path.
fn spawn_housekeeping(database: db::Db) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(err) = jiebang::server::auth::prune(&database).await {
                tracing::warn!(error = ?err, "housekeeping failed; will retry");
            }
        }
    });
}

/// Resolves on Ctrl-C or SIGTERM, letting in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Where evidence files are kept, as configured.
fn file_store(config: &Config) -> Result<jiebang::server::files::FileStore, String> {
    Ok(match &config.files {
        jiebang::server::config::FilesAt::Memory => {
            jiebang::server::files::FileStore::memory(config.file_limits)
        }
        jiebang::server::config::FilesAt::Directory(dir) => {
            jiebang::server::files::FileStore::local(dir, config.file_limits)?
        }
    })
}

/// The command line's progress bar for a backup or restore.
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn show(bar: &indicatif::ProgressBar, step: jiebang::server::backup::Step) {
    use jiebang::server::backup::Step;
    match step {
        Step::Database => bar.set_message("数据库"),
        Step::Files { done, total } => {
            bar.set_message("佐证材料");
            bar.set_length(total);
            bar.set_position(done);
        }
        Step::Checking => bar.set_message("核对"),
    }
}
