//! The `accord` binary as an operator runs it: first start, restart, graceful shutdown, the admin
//! commands, on SQLite and on PostgreSQL.

// A test helper that cannot unwrap has found a failure: panicking is how it reports it.
#![allow(clippy::unwrap_used)]

use sqlx::Connection as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn accord() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_accord"));
    // The tests choose every setting; nothing may leak in from the environment.
    for (key, _) in std::env::vars() {
        if key.starts_with("ACCORD_") || key == "DATABASE_URL" {
            command.env_remove(key);
        }
    }
    command
}

fn run(command: &mut Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start accord");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A database for one test: a temporary data folder, plus a fresh PostgreSQL database when asked.
struct Database {
    dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

fn postgres_admin_url() -> String {
    std::env::var("ACCORD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

impl Database {
    async fn new(postgres: bool) -> Database {
        let dir = tempfile::tempdir().unwrap();
        if !postgres {
            return Database {
                dir,
                postgres: None,
            };
        }
        let admin = postgres_admin_url();
        let name = format!("accord_cli_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        Database {
            dir,
            postgres: Some((url, name)),
        }
    }

    fn apply(&self, command: &mut Command) {
        command.arg("--data-dir").arg(self.dir.path());
        if let Some((url, _)) = &self.postgres {
            command.env("DATABASE_URL", url);
        }
    }
}

impl Drop for Database {
    /// Drops the PostgreSQL database even when the test failed; Drop cannot await, so a thread
    /// with a runtime of its own does it.
    fn drop(&mut self) {
        let Some((_, name)) = self.postgres.take() else {
            return;
        };
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&postgres_admin_url()).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(_))) {
            eprintln!("could not drop a test database");
        }
    }
}

/// A running `accord serve` and the lines it printed up to the point it was ready.
struct Server {
    child: Child,
    origin: String,
    banner: String,
}

fn serve(database: &Database) -> Server {
    let mut command = accord();
    database.apply(&mut command);
    let mut child = command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start accord serve");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut banner = String::new();
    let mut origin = None;
    // The banner ends with the setup link or the sign-in address.
    while let Some(Ok(line)) = lines.next() {
        banner.push_str(&line);
        banner.push('\n');
        if let Some(rest) = line.trim().strip_prefix("Accord is running: open ") {
            origin = Some(rest.trim_end_matches('/').to_owned());
        }
        if line.contains("restart for a new one") || line.contains("Staff sign in at") {
            break;
        }
    }
    // Keep draining stderr so that the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        origin: origin.unwrap_or_else(|| panic!("no address in the banner:\n{banner}")),
        banner,
    }
}

fn http_get(origin: &str, path: &str) -> String {
    let address = origin.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// Sends SIGTERM and waits for a clean exit.
fn terminate(mut server: Server) {
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit after SIGTERM: {status}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "accord did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn help_lists_serve_and_admin() {
    let output = run(accord().arg("--help"), "");
    assert!(output.status.success());
    let help = text(&output.stdout);
    for word in [
        "serve",
        "admin",
        "--listen",
        "--data-dir",
        "--database-url",
        "--log-format",
    ] {
        assert!(help.contains(word), "{word} missing from:\n{help}");
    }
    let admin = text(&run(accord().args(["admin", "--help"]), "").stdout);
    for word in [
        "create-committee",
        "create-user",
        "list-users",
        "reset-password",
        "disable-user",
        "create-supervisor",
        "list-supervisors",
    ] {
        assert!(admin.contains(word), "{word} missing from:\n{admin}");
    }
}

#[test]
fn bad_configuration_exits_with_2() {
    let output = run(
        accord().args(["--database-url", "mysql://localhost/x", "serve"]),
        "",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("postgres://"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("accord.toml");
    std::fs::write(&file, "listen = 5\n").unwrap();
    let output = run(accord().arg("--config").arg(&file), "");
    assert_eq!(output.status.code(), Some(2));
}

async fn first_start_restart_and_shutdown(postgres: bool) {
    let database = Database::new(postgres).await;
    let first = serve(&database);
    assert!(first.banner.contains("/setup#t="), "{}", first.banner);
    assert!(http_get(&first.origin, "/healthz").ends_with("ok"));
    terminate(first);
    if !postgres {
        assert!(database.dir.path().join("accord.db").exists());
    }
    // Until someone uses a link, every start offers one.
    let second = serve(&database);
    assert!(second.banner.contains("/setup#t="));
    terminate(second);

    // Once an account exists, the server starts without a link and says where to sign in.
    let mut create = accord();
    database.apply(&mut create);
    let committee = run(
        create.args([
            "admin",
            "create-committee",
            "--name",
            "朝阳区人民调解委员会",
            "--kind",
            "street_town",
            "--region",
            "北京市朝阳区",
        ]),
        "",
    );
    assert!(committee.status.success(), "{}", text(&committee.stderr));
    let committee_id = text(&committee.stdout).trim().to_owned();
    let mut create = accord();
    database.apply(&mut create);
    let user = run(
        create.args([
            "admin",
            "create-user",
            "--committee",
            &committee_id,
            "--username",
            "admin",
            "--display-name",
            "张管理",
            "--role",
            "admin",
        ]),
        "correct horse battery staple\n",
    );
    assert!(user.status.success(), "{}", text(&user.stderr));
    let third = serve(&database);
    assert!(!third.banner.contains("/setup#t="), "{}", third.banner);
    assert!(third.banner.contains("Staff sign in at"));
    terminate(third);
}

#[tokio::test]
async fn first_start_restart_and_shutdown_on_sqlite() {
    first_start_restart_and_shutdown(false).await;
}

#[tokio::test]
async fn first_start_restart_and_shutdown_on_postgres() {
    first_start_restart_and_shutdown(true).await;
}

async fn admin_commands(postgres: bool) {
    let database = Database::new(postgres).await;
    let admin = |args: &[&str], stdin: &str| {
        let mut command = accord();
        database.apply(&mut command);
        command.arg("admin").args(args);
        run(&mut command, stdin)
    };
    let committee = admin(
        &[
            "create-committee",
            "--name",
            "医疗纠纷人民调解委员会",
            "--kind",
            "industry_professional",
            "--region",
            "北京市",
        ],
        "",
    );
    assert!(committee.status.success(), "{}", text(&committee.stderr));
    let id = text(&committee.stdout).trim().to_owned();
    assert!(text(&admin(&["list-committees"], "").stdout).contains(&id));

    let weak = admin(
        &[
            "create-user",
            "--committee",
            &id,
            "--username",
            "li",
            "--display-name",
            "李",
            "--role",
            "mediator",
        ],
        "short\n",
    );
    assert_eq!(weak.status.code(), Some(1));
    assert!(
        text(&weak.stderr).contains("at least 12"),
        "{}",
        text(&weak.stderr)
    );
    let nowhere = admin(
        &[
            "create-user",
            "--committee",
            "00000000-0000-0000-0000-000000000000",
            "--username",
            "li",
            "--display-name",
            "李",
            "--role",
            "mediator",
        ],
        "a long enough password\n",
    );
    assert_eq!(nowhere.status.code(), Some(1));
    let made = admin(
        &[
            "create-user",
            "--committee",
            &id,
            "--username",
            "li.ming",
            "--display-name",
            "李明",
            "--role",
            "mediator",
            "--lawyer",
            "--language",
            "zh-CN",
            "--language",
            "en",
        ],
        "a long enough password\n",
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let again = admin(
        &[
            "create-user",
            "--committee",
            &id,
            "--username",
            "li.ming",
            "--display-name",
            "李明",
            "--role",
            "mediator",
        ],
        "a long enough password\n",
    );
    assert!(text(&again.stderr).contains("taken"));

    let listed = text(&admin(&["list-users"], "").stdout);
    assert!(listed.contains("li.ming\tmediator\tactive"), "{listed}");
    assert!(
        admin(&["reset-password", "li.ming"], "another long password\n")
            .status
            .success()
    );
    assert!(admin(&["disable-user", "li.ming"], "").status.success());
    let listed = text(&admin(&["list-users", "--committee", &id], "").stdout);
    assert!(listed.contains("li.ming\tmediator\tdisabled"), "{listed}");
    assert_eq!(
        admin(&["disable-user", "nobody"], "").status.code(),
        Some(1)
    );

    // The judicial bureau's supervisors have accounts of their own, by region.
    let supervisor = admin(
        &[
            "create-supervisor",
            "--region",
            "北京市",
            "--username",
            "zhao",
            "--display-name",
            "赵监督",
        ],
        "a long enough password\n",
    );
    assert!(supervisor.status.success(), "{}", text(&supervisor.stderr));
    let listed = text(&admin(&["list-supervisors"], "").stdout);
    assert!(listed.contains("zhao\tactive\t北京市"), "{listed}");
    assert_eq!(
        admin(&["disable-user", "zhao"], "").status.code(),
        Some(1),
        "a supervisor is not a committee's user"
    );
    assert!(admin(&["disable-user", "--supervisor", "zhao"], "")
        .status
        .success());
    let listed = text(&admin(&["list-supervisors"], "").stdout);
    assert!(listed.contains("zhao\tdisabled"), "{listed}");
}

#[tokio::test]
async fn admin_commands_on_sqlite() {
    admin_commands(false).await;
}

#[tokio::test]
async fn admin_commands_on_postgres() {
    admin_commands(true).await;
}
