//! `backissue`: the command line. Argument parsing and exit codes live here and only here.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use backissue_issue::Date;
use clap::{Parser, Subcommand};

mod commands;

#[derive(Parser)]
#[command(
    name = "backissue",
    version,
    about = "Search and recommendations over the back issues of a weekly AI-industry newsletter",
    after_help = "Examples:\n  backissue parse corpus/\n  backissue generate --weeks 104 --start 2025-01-03 --seed 7 --out corpus/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse issue files and print them, then every warning and error
    #[command(
        after_help = "Examples:\n  backissue parse corpus/\n  backissue parse corpus/2026-03-27.txt --json | jq .top_stories[0]\n\n\
        Exits with status 1 when any file failed, after reading all of them."
    )]
    Parse {
        /// Issue files, or folders of `*.txt` issue files
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        paths: Vec<PathBuf>,
        /// Print each issue as one line of JSON (JSON Lines) instead of a summary
        #[arg(long)]
        json: bool,
    },
    /// Write a deterministic sample archive, one issue per week, with its ground truth
    #[command(
        after_help = "Examples:\n  backissue generate --weeks 104 --start 2025-01-03 --seed 7 --out corpus/\n  \
        backissue generate --weeks 1040 --seed 1 --out /tmp/big"
    )]
    Generate {
        /// How many weekly issues to write
        #[arg(long, default_value_t = 104)]
        weeks: u32,
        /// The first issue's date (YYYY-MM-DD)
        #[arg(long, default_value = "2025-01-03")]
        start: Date,
        /// The random seed: the same seed gives the same bytes
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// The folder to write into (created if missing)
        #[arg(long)]
        out: PathBuf,
    },
    /// Build or update the search index: only new and changed issues are processed
    #[command(
        after_help = "Examples:\n  backissue index\n  backissue index --corpus corpus/ --index index/\n  \
        BACKISSUE_INDEX=/srv/backissue/index backissue index --json | jq .embedded_texts\n\n\
        A bad issue file is reported (path:line: block: what was expected) and left out; its earlier\n\
        documents are dropped. Exits with status 1 when any file failed, 2 when the run itself failed.\n\
        A run that is interrupted leaves the previous index intact; run the command again to finish."
    )]
    Index(commands::index::IndexArgs),
    /// Show what the current index holds: generation, model, counts by section, issues, dates
    #[command(
        after_help = "Examples:\n  backissue stats\n  backissue stats --index /srv/backissue/index --json | jq .by_section"
    )]
    Stats(commands::stats::StatsArgs),
    /// Search the archive by words, meaning, or both, with filters and facets
    #[command(
        after_help = "Examples:\n  backissue search \"Ashgrove Financial\"\n  \
        backissue search 'robots that work without the cloud' --mode semantic\n  \
        backissue search '\"grid operators\" outage' --sector Energy --from 2025-06-01 --sort newest\n  \
        backissue search 'vector search' --section resource --level beginner --limit 20\n  \
        backissue search '$40B' --mode keyword --json | jq '.hits[0].score'\n  \
        backissue search '' --region India --sort newest     # everything, filtered\n\n\
        Words match in any form (robots finds robot) and up to two typos (one from 5 letters, two\n\
        from 9); numbers, versions and amounts match only exactly (GPT-4 is not GPT-5). The last\n\
        word also matches as a prefix unless the query ends with a space. A word naming a sector,\n\
        region, level or kind (healthcare, India, beginner, podcast) also matches what is tagged\n\
        with it. Matched words are shown [in brackets] (bold on a terminal). Keyword mode never\n\
        loads the embedding model."
    )]
    Search(commands::search::SearchArgs),
    /// Score keyword, semantic and hybrid search side by side on judged queries
    #[command(after_help = "Examples:\n  backissue eval\n  \
        backissue eval --queries eval/queries.tsv --qrels eval/qrels.txt --k 10 --index index/\n  \
        backissue eval --json | jq '.modes[] | {mode, ndcg}'\n\n\
        Prints nDCG@k, MRR@k and Recall@100 per mode. Queries are run as finished queries with\n\
        copies not collapsed; queries with no relevant document are skipped and counted.")]
    Eval(commands::eval::EvalArgs),
    /// Write the index as an OpenSearch (or Elasticsearch) index template, _bulk body and hybrid query
    #[command(
        after_help = "Examples:\n  backissue export --format opensearch --out export/\n  \
        backissue export --format elasticsearch --index /srv/backissue/index --out es/ --name archive\n\n\
        Reads the current generation and writes index-template.json, bulk.ndjson, hybrid-query.json,\n\
        search-pipeline.json (OpenSearch) and README.md, which gives the curl commands and the query\n\
        that mirrors backissue's hybrid ranking. Each file is written whole or not at all."
    )]
    Export(commands::export::ExportArgs),
    /// The stories most related to a story (or a text), after its storyline
    #[command(after_help = "Examples:\n  backissue related 2026-03-20/top/1\n  \
        backissue related 2026-03-20/top/1 --limit 10 --half-life 8 --json\n  \
        backissue related --text \"robots that work without the cloud\" --window 26\n\n\
        Stories of the same issue are never shown, nor two copies of one piece of news. Each result\n\
        says why in one line: the names and tags it shares and how many weeks apart it is.")]
    Related(commands::related::RelatedArgs),
    /// Learning resources by level, once per URL, with when and how often they were featured
    #[command(after_help = "Examples:\n  backissue resources --level beginner\n  \
        backissue resources \"retrieval evaluation\" --level intermediate --json\n  \
        backissue resources --for 2026-03-20/top/1 --level beginner\n\n\
        A level includes the resources marked All. Ranked by relevance to the query or story, then\n\
        by how recently and how often the issues featured them.")]
    Resources(commands::resources::ResourcesArgs),
    /// The issues' learning paths by level, once each, ranked like resources
    #[command(
        after_help = "Examples:\n  backissue paths --level advanced\n  backissue paths \"agents\" --json"
    )]
    Paths(commands::paths::PathsArgs),
    /// Weekly counts of events for a term, name, query, sector, region or source; rising,
    /// falling and bursting topics; co-occurring sectors and regions
    #[command(
        after_help = "Examples:\n  backissue trends --term \"memory shortage\"\n  \
        backissue trends --name \"Lysandra Capital\" --csv\n  \
        backissue trends --query \"memory shortage\" --sector Tech --json\n  \
        backissue trends rising --week latest --limit 10\n  \
        backissue trends falling --week 2025-W30\n  \
        backissue trends bursts --limit 20\n  \
        backissue trends cooccur --term \"data center moratoriums\"\n\n\
        Counts are of events (a story and its copies count once) among top, sector and regional\n\
        stories; share is the week's matching events over all its events."
    )]
    Trends(commands::trends::TrendsArgs),
    /// Serve the JSON API, the web pages and the widget; indexes corpus/ first if there is no index
    #[command(
        after_help = "Examples:\n  backissue serve\n  backissue serve --bind 0.0.0.0:8080 --index /srv/backissue/index\n  \
        backissue serve --config /etc/backissue/backissue.toml\n  \
        backissue serve --replica-of s3://archive/backissue --index /var/lib/backissue/index\n  \
        BACKISSUE_CORS_ORIGINS=https://news.example backissue serve --no-index\n\n\
        Each setting is a flag, an environment variable (in brackets) and a key of --config; a flag wins\n\
        over its variable, which wins over the file, which wins over the default.\n\
        The corpus is indexed (new and changed issues only) before serving, and re-indexed by\n\
        POST /api/admin/reindex. A new generation written by `backissue index` (or downloaded from\n\
        --replica-of) is served within a second, without downtime. BACKISSUE_EMBEDDER=hash (tests only)\n\
        swaps the model for a hash embedder; ORT_DYLIB_PATH names another ONNX Runtime library."
    )]
    Serve(commands::serve::ServeArgs),
    /// Upload the index's current generation to a store that replicas follow
    #[command(after_help = "Examples:\n  backissue publish --to /srv/store\n  \
        AWS_ENDPOINT_URL=http://127.0.0.1:9000 AWS_ALLOW_HTTP=true backissue publish --to s3://archive/backissue --keep 5\n\n\
        Uploads the index's current generation: every file under its SHA-256 (a file the store has\n\
        already is not uploaded again), then the generation's listing, then the store's CURRENT\n\
        pointer, last. Replicas (`backissue serve --replica-of STORE`) follow that pointer. The\n\
        store keeps the newest --keep generations and the files they need.")]
    Publish(commands::publish::PublishArgs),
}

fn main() -> ExitCode {
    let cli: Cli = commands::config_file::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            // Every error of the workspace prints its cause in its own message and does
            // not also expose it as a source, so `{:#}` says each thing once.
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Parse { paths, json } => commands::parse::run(&paths, json),
        Command::Generate {
            weeks,
            start,
            seed,
            out,
        } => commands::generate::run(weeks, start, seed, &out),
        Command::Index(args) => commands::index::run(&args),
        Command::Stats(args) => commands::stats::run(&args),
        Command::Search(args) => commands::search::run(&args),
        Command::Eval(args) => commands::eval::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Serve(args) => commands::serve::run(&args),
        Command::Publish(args) => commands::publish::run(&args),
        Command::Related(args) => commands::related::run(&args),
        Command::Resources(args) => commands::resources::run(&args),
        Command::Paths(args) => commands::paths::run(&args),
        Command::Trends(args) => commands::trends::run(&args),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_error_prints_each_cause_once() {
        let full = std::io::Error::other("No space left on device");
        let error = backissue_engine::Error::io("index/cache/embeddings.bin", "cannot write")(full);
        let error = anyhow::Error::new(error).context("cannot index");
        assert_eq!(
            format!("{error:#}"),
            "cannot index: index/cache/embeddings.bin: cannot write: No space left on device"
        );
    }
}
