//! The `twn` command line.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use twn::build::{BuildOptions, build, default_out_dir};
use twn::diagnostics::Diagnostics;

/// twn: bouwt de wiki van een regionale samenwerking in de waterketen.
#[derive(Parser)]
#[command(
    name = "twn",
    version,
    about = "twn: bouwt een gelinkte wiki met geschiedenis uit Markdown-pagina's in git.",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
struct Cli {
    /// De map van de site, met twn.yaml (standaard: de huidige map).
    #[arg(
        long,
        global = true,
        default_value = ".",
        hide_default_value = true,
        value_name = "MAP"
    )]
    root: PathBuf,
    /// Toont deze hulp.
    #[arg(short, long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Toont de versie van twn.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
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
        /// Map voor de uitvoer (standaard public/).
        #[arg(long, value_name = "MAP")]
        out: Option<PathBuf>,
        /// Basis-URL, bijvoorbeeld https://example.org/wiki/.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        #[command(flatten)]
        checking: Checking,
    },
    /// Controleert alles wat build controleert, zonder iets te schrijven;
    /// alleen de grootte van de uitvoer meet pas build.
    Check {
        #[command(flatten)]
        checking: Checking,
    },
    /// Bouwt de site, toont haar op http://127.0.0.1:1111/ en ververst bij elke wijziging.
    Serve {
        /// Poort om op te luisteren (standaard 1111).
        #[arg(
            long,
            default_value_t = 1111,
            hide_default_value = true,
            value_name = "POORT"
        )]
        port: u16,
        /// Adres om op te luisteren (standaard 127.0.0.1: alleen deze computer).
        #[arg(
            long,
            default_value = "127.0.0.1",
            hide_default_value = true,
            value_name = "ADRES"
        )]
        bind: std::net::IpAddr,
        /// Neem ook concepten (draft: true) op.
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
        /// De collectie: een map in content/ die twn.yaml noemt, bijvoorbeeld organisatie.
        #[arg(value_name = "COLLECTIE")]
        collection: String,
        /// De titel van de pagina.
        #[arg(value_name = "TITEL")]
        title: String,
        /// Een veld met zijn waarde, bijvoorbeeld --veld type=waterschap (mag vaker).
        #[arg(long = "veld", value_name = "NAAM=WAARDE")]
        fields: Vec<String>,
    },
    /// Maakt een nieuwe site om mee te beginnen.
    Init {
        /// De map voor de nieuwe site.
        #[arg(value_name = "MAP")]
        dir: PathBuf,
        // `init` makes a site and names its folder itself: its own hidden
        // `--root` keeps the global one out of its help.
        #[arg(long, hide = true, default_value = ".", value_name = "MAP")]
        root: PathBuf,
    },
}

/// Help in Dutch: clap's own headings are English.
const HELP: &str = "{about}\n\nGebruik: {usage}\n\n{all-args}";

fn parse_arguments() -> Result<Cli, ExitCode> {
    let dutch_args = |command: clap::Command| {
        let command = command.mut_args(|arg| {
            let heading = if arg.is_positional() {
                "Argumenten"
            } else {
                "Opties"
            };
            arg.help_heading(heading)
        });
        let positionals: String = command
            .get_positionals()
            .map(|arg| {
                format!(
                    " <{}>",
                    arg.get_value_names()
                        .and_then(|n| n.first())
                        .map_or("", |n| n.as_str())
                )
            })
            .collect();
        let usage = format!("twn {} [opties]{positionals}", command.get_name());
        command.help_template(HELP).override_usage(usage)
    };
    let command = dutch_args(Cli::command())
        .override_usage("twn [opties] <commando>")
        .subcommand_help_heading("Commando's")
        .mut_subcommands(dutch_args);
    let matches = command
        .clone()
        .try_get_matches()
        .map_err(|e| usage_error(&e))?;
    Cli::from_arg_matches(&matches).map_err(|e| usage_error(&e))
}

/// clap's errors, said in Dutch (exit 2); help and the version as asked (exit 0).
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    let context = |kind: ContextKind| error.get(kind).map(|v| v.to_string()).unwrap_or_default();
    let suggestion = || {
        let suggested = [
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedArg,
            ContextKind::SuggestedValue,
        ]
        .into_iter()
        .find_map(|k| error.get(k))
        .map(|v| format!("; bedoelt u `{v}`?"));
        suggested.unwrap_or_default()
    };
    let message = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{}", error.render());
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            eprint!("{}", error.render());
            return ExitCode::from(2);
        }
        ErrorKind::InvalidSubcommand => {
            format!(
                "onbekend commando `{}`{}",
                context(ContextKind::InvalidSubcommand),
                suggestion()
            )
        }
        ErrorKind::UnknownArgument => {
            format!(
                "onbekende optie `{}`{}",
                context(ContextKind::InvalidArg),
                suggestion()
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "`{}` is geen geldige waarde voor {}{}",
            context(ContextKind::InvalidValue),
            context(ContextKind::InvalidArg),
            suggestion()
        ),
        ErrorKind::ArgumentConflict => match error.get(ContextKind::PriorArg) {
            Some(prior) if prior.to_string() != context(ContextKind::InvalidArg) => format!(
                "{} gaat niet samen met {prior}",
                context(ContextKind::InvalidArg)
            ),
            _ => format!(
                "{} mag maar één keer gegeven worden",
                context(ContextKind::InvalidArg)
            ),
        },
        ErrorKind::MissingRequiredArgument => {
            format!("dit ontbreekt nog: {}", context(ContextKind::InvalidArg))
        }
        ErrorKind::NoEquals
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => {
            format!(
                "verkeerd aantal waarden bij {}",
                context(ContextKind::InvalidArg)
            )
        }
        _ => "de opdracht klopt niet".to_owned(),
    };
    eprintln!(
        "fout: {message}\noplossing: `twn --help` toont de commando's, `twn <commando> --help` hun opties"
    );
    ExitCode::from(2)
}

// Rendering allocates and frees many small strings and maps on every
// core; mimalloc does that about a tenth faster than glibc's malloc here
// (a cold build with 60,000 old versions: 9.1 s → 8.3 s), at the same peak.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keeps memory a build frees for its own next use rather than handing it
/// back to the system, which a build that ends in seconds gains nothing
/// from: mimalloc handed back over a gigabyte at 100,000 pages and took
/// it again page by page, each time cleared by the kernel (4.7% of the
/// build's time there, 1.6% at 10,000 pages, at the same peak memory).
/// Not for `twn serve`, which lives on after its largest render.
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's documented options to a valid value
    // (-1: never purge); mimalloc reads its options atomically.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
}

/// `mi_option_purge_delay` in mimalloc.h, which the crate leaves out.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Parsing and rendering run on rayon's threads; nested content needs
    // more stack than the default two megabytes in debug builds.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(16 * 1024 * 1024)
        .build_global();
    let cli = match parse_arguments() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
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
            Err(problem) => {
                let mut shown = Diagnostics::default();
                shown.push(problem);
                eprint!("{}", shown.report(std::io::stderr().is_terminal()));
                ExitCode::from(2)
            }
        },
        Command::New {
            collection,
            title,
            fields,
        } => {
            let on_terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
            let mut ask = |question: &str| {
                eprint!("{question} ");
                let mut answer = String::new();
                std::io::stdin().read_line(&mut answer).ok()?;
                Some(answer.trim().to_owned()).filter(|a| !a.is_empty())
            };
            let ask: Option<twn::scaffold::Ask> = if on_terminal { Some(&mut ask) } else { None };
            finish(twn::scaffold::new_page(
                &cli.root,
                &collection,
                &title,
                &fields,
                ask,
            ))
        }
        Command::Init { dir, .. } => finish(twn::scaffold::init_site(&dir)),
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
    keep_freed_memory();
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

#[cfg(test)]
mod tests {
    /// The option's number is taken from mimalloc.h by hand: its default
    /// (a second, in mimalloc 3) shows that it names the purge delay.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads an option by its number in mimalloc.h.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
