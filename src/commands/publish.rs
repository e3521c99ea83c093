//! `backissue publish`: upload the index's current generation to a store that
//! replicas follow (`backissue serve --replica-of STORE`).

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

/// Arguments of `backissue publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub index: super::IndexArg,
    /// The store: a folder, or s3://bucket/prefix on any S3-compatible service
    /// (configured by the AWS_* variables: AWS_ENDPOINT_URL, AWS_REGION,
    /// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ALLOW_HTTP)
    #[arg(long, value_name = "STORE", env = "BACKISSUE_STORE")]
    pub to: String,
    /// Generations the store keeps (the newest; at least 1): a replica still
    /// downloading one of them is never pulled out from under
    #[arg(long, value_name = "N", env = "BACKISSUE_KEEP", default_value_t = backissue_replica::DEFAULT_KEEP)]
    pub keep: usize,
    /// Print the report as JSON on standard output
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &PublishArgs) -> Result<ExitCode> {
    anyhow::ensure!(args.keep >= 1, "--keep: give at least 1");
    let store = backissue_replica::Store::open(&args.to)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = runtime.block_on(backissue_replica::publish(
        &store,
        &args.index.dir,
        args.keep,
    ))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if report.uploaded_files == 0 && report.removed_generations.is_empty() {
        println!(
            "{store}: generation {} is published already ({} files, {} bytes); nothing uploaded",
            report.generation, report.files, report.bytes
        );
    } else {
        println!(
            "{store}: published generation {}: {} of {} files uploaded ({} of {} bytes; the rest \
             were there already){}",
            report.generation,
            report.uploaded_files,
            report.files,
            report.uploaded_bytes,
            report.bytes,
            if report.removed_generations.is_empty() {
                String::new()
            } else {
                format!(
                    "; removed generations {} ({} blobs no kept generation needs)",
                    report.removed_generations.join(", "),
                    report.removed_blobs
                )
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
