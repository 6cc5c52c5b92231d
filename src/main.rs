//! The `twn` command line.

use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use twn::build::{BuildOptions, build, default_out_dir};
use twn::diagnostics::Diagnostics;

/// twn: bouwt de wiki van een regionale samenwerking in de waterketen.
#[derive(Parser)]
#[command(name = "twn", version, about)]
struct Cli {
    /// De map van de site (met twn.yaml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

/// What `build` and `check` share.
#[derive(clap::Args)]
struct Checking {
    /// Neem ook concepten (draft: true) op.
    #[arg(long)]
    drafts: bool,
    /// Behandel waarschuwingen (zoals een ondiepe git-kopie) als fouten.
    #[arg(long)]
    strict: bool,
    /// Toon hoe lang elke stap duurde.
    #[arg(long)]
    timings: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Bouwt de site in public/ (of --out).
    Build {
        /// Map voor de uitvoer.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Basis-URL, bijvoorbeeld https://example.org/wiki/.
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        checking: Checking,
    },
    /// Controleert alles wat build controleert, zonder iets te schrijven.
    Check {
        #[command(flatten)]
        checking: Checking,
    },
    /// Bouwt de site, toont haar op http://127.0.0.1:1111/ en ververst bij elke wijziging.
    Serve {
        /// Poort om op te luisteren.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Adres om op te luisteren (standaard alleen deze computer).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[arg(long)]
        drafts: bool,
        /// Kijk regelmatig zelf naar de bestanden: voor netwerkschijven, WSL en containers.
        #[arg(long)]
        poll: bool,
        /// Open de voorvertoning in de browser.
        #[arg(long)]
        open: bool,
    },
    /// Maakt een nieuwe pagina met de verplichte velden.
    New {
        /// De collectie, bijvoorbeeld werkplaats.
        collection: String,
        /// De titel van de pagina.
        title: String,
    },
    /// Maakt een nieuwe site om mee te beginnen.
    Init {
        /// De map voor de nieuwe site.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal();
    match cli.command {
        Command::Build {
            out,
            base_url,
            checking,
        } => {
            let out_dir = out.unwrap_or_else(|| default_out_dir(&cli.root));
            run_build(cli.root, Some(out_dir), base_url, checking, styled)
        }
        Command::Check { checking } => run_build(cli.root, None, None, checking, styled),
        Command::Serve {
            port,
            bind,
            drafts,
            poll,
            open,
        } => match twn::serve::serve(twn::serve::ServeOptions {
            site_root: cli.root,
            bind,
            port,
            drafts,
            poll,
            open,
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("fout: {message}");
                ExitCode::from(2)
            }
        },
        Command::New { collection, title } => {
            finish(twn::scaffold::new_page(&cli.root, &collection, &title))
        }
        Command::Init { dir } => finish(twn::scaffold::init_site(&dir)),
    }
}

fn run_build(
    site_root: PathBuf,
    out_dir: Option<PathBuf>,
    base_url: Option<String>,
    checking: Checking,
    styled: bool,
) -> ExitCode {
    let options = BuildOptions {
        site_root,
        out_dir,
        base_url,
        drafts: checking.drafts,
        progress: styled,
        strict: checking.strict,
    };
    let writes_nothing = options.out_dir.is_none();
    match build(&options) {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, styled);
            if checking.timings {
                for (step, time) in &report.timings {
                    eprintln!("  {step:<36} {:>8.3} s", time.as_secs_f64());
                }
            }
            let seconds = format!("{:.2}", report.elapsed.as_secs_f64()).replace('.', ",");
            if writes_nothing {
                eprintln!(
                    "twn: geen fouten in {} pagina's ({seconds} s)",
                    report.pages
                );
            } else {
                eprintln!(
                    "twn: {} pagina's, {} oude versies en verschillen ({} nieuw, {} uit de cache), {} bestanden in {seconds} s",
                    report.pages,
                    report.versions_rendered + report.versions_from_cache,
                    report.versions_rendered,
                    report.versions_from_cache,
                    report.files
                );
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            print_diagnostics(&failure.diagnostics, styled);
            if !writes_nothing {
                eprintln!("twn: niets geschreven; de vorige uitvoer is ongewijzigd");
            }
            ExitCode::from(if failure.usage { 2 } else { 1 })
        }
    }
}

fn print_diagnostics(diagnostics: &Diagnostics, styled: bool) {
    let report = diagnostics.report(styled);
    if !report.is_empty() {
        eprint!("{report}");
    }
}

fn finish(result: Result<String, twn::scaffold::ScaffoldError>) -> ExitCode {
    match result {
        Ok(message) => {
            eprintln!("{message}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("fout: {}", error.message);
            ExitCode::from(error.exit_code)
        }
    }
}
