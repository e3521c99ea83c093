//! `backissue export`: the current generation as files another search engine loads
//! (an index template, a `_bulk` body, the hybrid query and a README).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use backissue_engine::export::{export, ExportOptions, Exported, Format, DEFAULT_INDEX_NAME};
use backissue_engine::Index;
use clap::{Args, ValueEnum};

/// Arguments of `backissue export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The search engine the files are for
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// The folder to write into (created if missing; an earlier export's files are replaced)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The index the bulk body writes into; the template matches NAME and NAME-*
    #[arg(long, value_name = "NAME", default_value = DEFAULT_INDEX_NAME)]
    pub name: String,
    /// Print what was written as JSON on standard output
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub index: super::IndexArg,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// OpenSearch: knn_vector, a normalization-processor pipeline, a hybrid query
    Opensearch,
    /// Elasticsearch: dense_vector and a linear retriever
    Elasticsearch,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Opensearch => Format::OpenSearch,
            FormatArg::Elasticsearch => Format::Elasticsearch,
        }
    }
}

pub fn run(args: &ExportArgs) -> Result<ExitCode> {
    let index = Index::open(&args.index.dir).context("cannot export")?;
    let options = ExportOptions {
        format: args.format.into(),
        index_name: args.name.clone(),
    };
    let exported = export(&index, &options, &args.out).context("cannot export")?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&exported)?);
    } else {
        print!("{}", render(&exported));
    }
    Ok(ExitCode::SUCCESS)
}

fn render(exported: &Exported) -> String {
    let mut out = format!(
        "exported {} documents ({}-component vectors) of generation {} for {} into {}:\n",
        exported.documents,
        exported.dimension,
        exported.generation,
        exported.format.product(),
        exported.dir.display(),
    );
    for file in &exported.files {
        out.push_str(&format!("  {}\n", file.display()));
    }
    if let Some(readme) = exported.files.last() {
        out.push_str(&format!(
            "{} says how to load them and run the hybrid query\n",
            readme.display()
        ));
    }
    out
}
