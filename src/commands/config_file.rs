//! `--config FILE`: settings from a TOML file, between the environment and the
//! defaults.
//!
//! A command's settings are its long flags: the file's keys are their names
//! (`max-connections = 2048`, or `max_connections`), so the file, the flags, the
//! environment variables and `--help` can never disagree on what a setting is
//! called, what it takes, or how it is checked. A flag or an environment variable
//! wins over the file; the file wins over the default. The values the file gives
//! are handed to the same parser as the command line, so a bad value gets the same
//! message, naming the file.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::parser::ValueSource;
use clap::{ArgAction, ArgMatches, Command, CommandFactory, FromArgMatches};

/// The id of the config-file argument a subcommand may have.
const CONFIG_ARG: &str = "config";

/// Parses the command line into `C`, with the settings of the subcommand's
/// `--config FILE` (if it has one and it is given) where neither a flag nor an
/// environment variable gave them. Exits with clap's status on a command-line
/// error, and with status 2 on a config file that cannot be used.
pub fn parse<C: CommandFactory + FromArgMatches>() -> C {
    let args: Vec<OsString> = std::env::args_os().collect();
    match parse_from(args) {
        Ok(parsed) => parsed,
        Err(Failure::Clap(error)) => error.exit(),
        Err(Failure::File(error)) => {
            eprintln!("error: {error:#}");
            std::process::exit(2);
        }
    }
}

/// Why the arguments could not be parsed.
#[derive(Debug)]
pub enum Failure {
    /// The command line (or a value from the file, which names it): clap's own
    /// message, help and version included.
    Clap(clap::Error),
    /// The config file cannot be read, is not TOML, or names no setting.
    File(anyhow::Error),
}

/// [`parse`] of the given arguments.
pub fn parse_from<C: CommandFactory + FromArgMatches>(
    mut args: Vec<OsString>,
) -> Result<C, Failure> {
    let mut command = C::command();
    command.build();
    let matches = command
        .clone()
        .try_get_matches_from(&args)
        .map_err(Failure::Clap)?;
    if let Some((name, sub)) = matches.subcommand() {
        let file = sub
            .try_get_one::<PathBuf>(CONFIG_ARG)
            .ok()
            .flatten()
            .cloned();
        let subcommand = command.find_subcommand(name).expect("a matched subcommand");
        if let Some(file) = file {
            let extra = settings(&file, subcommand, sub).map_err(Failure::File)?;
            if !extra.is_empty() {
                args.extend(extra);
                let matches = command.try_get_matches_from(&args).map_err(|error| {
                    eprintln!("error: in {}:", file.display());
                    Failure::Clap(error)
                })?;
                return C::from_arg_matches(&matches).map_err(Failure::Clap);
            }
        }
    }
    C::from_arg_matches(&matches).map_err(Failure::Clap)
}

/// The `--name=value` arguments that `file` adds to `command`'s command line: one
/// per key of the file that no flag or environment variable gave.
fn settings(file: &Path, command: &Command, given: &ArgMatches) -> Result<Vec<OsString>> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("--config {}: cannot read", file.display()))?;
    let table: toml::Table = text
        .parse()
        .with_context(|| format!("--config {}: not a TOML file", file.display()))?;
    let mut extra = Vec::new();
    for (key, value) in &table {
        let name = key.replace('_', "-");
        let Some(arg) = command
            .get_arguments()
            .find(|arg| arg.get_long() == Some(name.as_str()) && arg.get_id() != CONFIG_ARG)
        else {
            let known: Vec<&str> = command
                .get_arguments()
                .filter(|arg| arg.get_id() != CONFIG_ARG && !arg.is_hide_set())
                .filter_map(|arg| arg.get_long())
                .filter(|long| !matches!(*long, "help" | "version"))
                .collect();
            bail!(
                "{}: unknown setting {key:?}; the settings are: {}",
                file.display(),
                known.join(", ")
            );
        };
        let source = given.value_source(arg.get_id().as_str());
        if matches!(
            source,
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        ) {
            continue;
        }
        let flag = matches!(arg.get_action(), ArgAction::SetTrue);
        let text = match (value, flag) {
            (toml::Value::Boolean(true), true) => {
                extra.push(OsString::from(format!("--{name}")));
                continue;
            }
            (toml::Value::Boolean(false), true) => continue,
            (_, true) => bail!("{}: {key}: give true or false", file.display()),
            (toml::Value::String(text), false) => text.clone(),
            (toml::Value::Integer(number), false) => number.to_string(),
            (toml::Value::Float(number), false) => number.to_string(),
            (toml::Value::Array(items), false) => items
                .iter()
                .map(|item| match item {
                    toml::Value::String(text) => Ok(text.clone()),
                    _ => bail!("{}: {key}: give a list of strings", file.display()),
                })
                .collect::<Result<Vec<_>>>()?
                .join(","),
            (_, false) => bail!("{}: {key}: give a string or a number", file.display()),
        };
        extra.push(OsString::from(format!("--{name}={text}")));
    }
    Ok(extra)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::serve::ServeArgs;
    use crate::{Cli, Command};

    fn repo() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn serve(args: &[&str]) -> Result<ServeArgs, Failure> {
        let args = std::iter::once("backissue")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        match parse_from::<Cli>(args)?.command {
            Command::Serve(args) => Ok(args),
            _ => unreachable!("a serve command line"),
        }
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        file
    }

    #[test]
    fn the_file_sets_what_no_flag_gives_and_a_flag_wins() {
        let config = file(
            "bind = \"0.0.0.0:9000\"\nmax_connections = 7\nrequest-timeout = 2.5\n\
             cors-origins = [\"https://a.example\", \"https://b.example\"]\nno-index = true\n\
             log-format = \"json\"\n",
        );
        let path = config.path().to_str().unwrap();
        let args = serve(&["serve", "--config", path, "--max-connections", "9"]).unwrap();
        assert_eq!(args.bind, "0.0.0.0:9000");
        assert_eq!(
            args.limits.max_connections, 9,
            "the flag wins over the file"
        );
        assert_eq!(args.limits.request_timeout, 2.5);
        assert_eq!(
            args.access.cors_origins.as_deref(),
            Some("https://a.example,https://b.example")
        );
        assert!(args.no_index);
        assert_eq!(args.logs.log_format, super::super::serve::LogFormat::Json);
        // Untouched settings keep their defaults.
        assert_eq!(args.limits.max_concurrency, 64);
    }

    #[test]
    fn a_bad_file_is_refused_naming_the_file_and_the_key() {
        let unknown = file("max-conections = 7\n");
        let path = unknown.path().to_str().unwrap();
        let Err(Failure::File(error)) = serve(&["serve", "--config", path]) else {
            panic!("an unknown key must be refused");
        };
        let message = format!("{error:#}");
        assert!(message.contains(path), "{message}");
        assert!(message.contains("max-conections"), "{message}");
        assert!(message.contains("max-connections"), "{message}");

        let not_toml = file("bind = \n");
        let path = not_toml.path().to_str().unwrap();
        let Err(Failure::File(error)) = serve(&["serve", "--config", path]) else {
            panic!("a file that is not TOML must be refused");
        };
        assert!(format!("{error:#}").contains("not a TOML file"));

        // A value of the wrong kind gets the command line's own check.
        let bad_value = file("max-connections = \"many\"\n");
        let path = bad_value.path().to_str().unwrap();
        assert!(matches!(
            serve(&["serve", "--config", path]),
            Err(Failure::Clap(_))
        ));

        let missing = serve(&["serve", "--config", "/nonexistent/backissue.toml"]);
        let Err(Failure::File(error)) = missing else {
            panic!("a missing file must be refused");
        };
        assert!(format!("{error:#}").contains("cannot read"));
    }

    /// The shipped example sets only real settings, and names every setting there
    /// is (commented out where it shows the default), so it documents them all.
    #[test]
    fn the_example_config_parses_and_lists_every_setting() {
        let example = repo().join("examples/backissue.toml");
        let args = serve(&["serve", "--config", example.to_str().unwrap()]).unwrap();
        assert_eq!(args.index.dir, PathBuf::from("/var/lib/backissue/index"));
        assert_eq!(args.logs.log_format, super::super::serve::LogFormat::Json);

        let text = std::fs::read_to_string(&example).unwrap();
        let keys: Vec<&str> = text
            .lines()
            .map(|line| line.trim_start_matches('#').trim())
            .filter_map(|line| line.split_once(" = ").map(|(key, _)| key))
            .collect();
        let mut command = Cli::command();
        command.build();
        let serve = command.find_subcommand("serve").unwrap();
        for arg in serve.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if matches!(long, "help" | "config") {
                continue;
            }
            assert!(
                keys.contains(&long),
                "examples/backissue.toml does not mention `{long}`"
            );
            assert!(
                arg.get_env().is_some(),
                "--{long} has no environment variable"
            );
        }
    }
}
