//! `csp-sandbox`: serves the partner page and a local stand-in for the Partner Center agreement
//! API on 127.0.0.1.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Parser;
use csp_agreements::rules::date::parse_date;
use csp_sandbox::{app, sample, seed, AppState, Config, Fault, Store};

#[derive(Parser, Debug)]
#[command(
    name = "csp-sandbox",
    version,
    about = "Local sandbox of the Partner Center agreement API, and the partner page"
)]
struct Args {
    /// Port on 127.0.0.1 (0 = any free port; the URL is printed).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// SQLite file for customers and agreements (kept across restarts); in memory when left out.
    #[arg(long)]
    data: Option<PathBuf>,
    /// The server's calendar date (YYYY-MM-DD), to demonstrate 2019–2020; default: today in UTC.
    #[arg(long, value_parser = parse_today)]
    today: Option<NaiveDate>,
    /// The bearer token the API accepts; when left out, a random one is made for this run and
    /// printed (a given token is never printed).
    #[arg(long, env = "CSP_SANDBOX_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Add demo customers (FR, DE, US, JP, CA, ES, AU, GB, NL, IT) to an empty database.
    #[arg(long)]
    seed_demo: bool,
    /// Add the thousand customers of the bulk sample (www/samples/customers-1000.csv).
    #[arg(long)]
    seed_sample: bool,
    /// Add this many customers for the portfolio (its benchmark seeds 10 000): one in three
    /// holds a current Customer Agreement, some an older one, some a direct acceptance.
    #[arg(long, default_value_t = 0)]
    seed_customers: u32,
    /// How many days an attestation's acceptance link works.
    #[arg(long, default_value_t = csp_sandbox::api::LINK_DAYS, value_parser = clap::value_parser!(u32).range(1..=365))]
    link_days: u32,
    /// Act as an indirect reseller's Partner Center: attestations are refused with 403.
    #[arg(long)]
    indirect_reseller: bool,
    /// Inject a seeded mix of every kind of failure into the API's requests, e.g.
    /// 'rate=0.2,seed=7': 500/502/503/504, 429 with Retry-After, latency, connections dropped
    /// before and after the work, JSON cut short or malformed, answers that never come. The
    /// same seed strikes the same requests the same way.
    #[arg(long, value_parser = Fault::parse_mix)]
    faults: Option<Fault>,
    /// Let the database grow by at most this many pages (a full disk, for the tests).
    #[arg(long, hide = true)]
    max_db_growth_pages: Option<u64>,
    /// The static site to serve at /.
    #[arg(long, default_value = "www")]
    www: PathBuf,
    /// The built wasm package to serve at /pkg/.
    #[arg(long, default_value = "pkg")]
    pkg: PathBuf,
}

fn parse_today(value: &str) -> Result<NaiveDate, String> {
    parse_date(value).ok_or_else(|| format!("{value:?} is not a date written YYYY-MM-DD"))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let (token, generated) = match args.token.as_deref().map(str::trim) {
        Some("") => return Err("--token must not be empty".into()),
        Some(token) => (token.to_string(), false),
        // 122 random bits from the operating system's generator.
        None => (uuid::Uuid::new_v4().simple().to_string(), true),
    };
    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port))).await?;
    let address = listener.local_addr()?;
    let base_url = format!("http://{address}");

    let store = Store::open(args.data.as_deref())?;
    // A database that a crash or a full disk left corrupted is not served.
    let integrity = store.integrity()?;
    if integrity != "ok" {
        return Err(format!("the database fails its integrity check: {integrity}").into());
    }
    let today = args
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    if args.seed_demo {
        let added = seed::seed_demo(&store.lock(), today, args.link_days)?;
        if added > 0 {
            eprintln!("csp-sandbox: added {added} demo customers");
        }
    }
    if args.seed_sample {
        let added = sample::seed_sample(&store.lock())?;
        if added > 0 {
            eprintln!("csp-sandbox: added the {added} customers of the bulk sample");
        }
    }
    if args.seed_customers > 0 {
        let added = sample::seed_customers(&store.lock(), args.seed_customers)?;
        if added > 0 {
            eprintln!("csp-sandbox: added {added} portfolio customers");
        }
    }
    if let Some(pages) = args.max_db_growth_pages {
        store.limit_growth(pages)?;
    }
    let config = Config {
        today: args.today,
        indirect_reseller: args.indirect_reseller,
        faults: args.faults,
        link_days: args.link_days,
        ..Config::new(&token, &base_url, args.www, args.pkg)
    };
    let today = args
        .today
        .map_or_else(|| "today (UTC)".to_string(), |d| d.to_string());
    let state = AppState::new(config, store);

    println!("csp-sandbox listening on {base_url}/ (server date: {today})");
    println!("URL: {base_url}/");
    // The page takes the token from the URL's fragment, which browsers never send to a server,
    // and removes it from the address bar. A token the user chose is theirs: never printed.
    // With --today, the page's calendar is set to the same day (the page reads `?today=`).
    let page = match args.today {
        Some(day) => format!("{base_url}/?today={day}"),
        None => format!("{base_url}/"),
    };
    if generated {
        println!("Open: {page}#token={token}");
    } else {
        println!("Open: {page}#token=<your --token>");
    }
    drop(token);
    let server = axum::serve(listener, app(state)).with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    server.await?;
    Ok(())
}
