//! The export's README: what each file is, how to load them with curl, the query
//! that mirrors backissue's hybrid search, where the mirror is approximate, and the
//! documentation pages the queries were checked against.
//!
//! Only the prose is written here; every JSON block is a `serde_json` value
//! printed by [`serde_json::to_string_pretty`].

use serde_json::{json, Value};

use super::query::{decimal, example_query, pipeline, Blend, Example};
use super::template::VECTOR_FIELD;
use super::{
    ExportOptions, Format, BULK_FILE, PIPELINE_FILE, QUERY_FILE, README_FILE, TEMPLATE_FILE,
};
use crate::Index;

/// The documentation pages the OpenSearch files were checked against.
const OPENSEARCH_PAGES: &[(&str, &str)] = &[
    ("Index templates", "https://docs.opensearch.org/latest/im-plugin/index-templates/"),
    ("Bulk API", "https://docs.opensearch.org/latest/api-reference/document-apis/bulk/"),
    ("k-NN vector field", "https://docs.opensearch.org/latest/mappings/supported-field-types/knn-vector/"),
    ("Methods and engines (HNSW m, ef_construction; Lucene's ef_search = k)", "https://docs.opensearch.org/latest/mappings/supported-field-types/knn-methods-engines/"),
    ("Spaces (cosinesimil score = (2 - d) / 2)", "https://docs.opensearch.org/latest/mappings/supported-field-types/knn-spaces/"),
    ("Normalization processor (min_max, lower_bounds, upper_bounds, arithmetic_mean, weights)", "https://docs.opensearch.org/latest/search-plugins/search-pipelines/normalization-processor/"),
    ("Hybrid query (queries, filter)", "https://docs.opensearch.org/latest/query-dsl/compound/hybrid/"),
    ("k-NN query (vector, k, method_parameters)", "https://docs.opensearch.org/latest/query-dsl/specialized/k-nn/index/"),
    ("Neural query (query_text, model_id, k)", "https://docs.opensearch.org/latest/query-dsl/specialized/neural/"),
    ("Hybrid search with pre-filtering (3.0)", "https://docs.opensearch.org/latest/vector-search/ai-search/hybrid-search/pre-filtering/"),
    ("Paginating hybrid query results (pagination_depth, 2.19)", "https://docs.opensearch.org/latest/vector-search/ai-search/hybrid-search/pagination/"),
    ("Collapsing hybrid query results (3.1)", "https://docs.opensearch.org/latest/vector-search/ai-search/hybrid-search/collapse/"),
    ("Minimum should match (n<value)", "https://docs.opensearch.org/latest/query-dsl/minimum-should-match/"),
    ("Pattern tokenizer", "https://docs.opensearch.org/latest/analyzers/tokenizers/pattern/"),
    ("Stemmer token filter (porter2)", "https://docs.opensearch.org/latest/analyzers/token-filters/stemmer/"),
    ("Pattern replace token filter", "https://docs.opensearch.org/latest/analyzers/token-filters/pattern-replace/"),
    ("Length token filter", "https://docs.opensearch.org/latest/analyzers/token-filters/length/"),
    ("neural-search 3.0.0 release notes (lower bounds for min_max)", "https://github.com/opensearch-project/neural-search/blob/main/release-notes/opensearch-neural-search.release-notes-3.0.0.0.md"),
    ("neural-search 3.1.0 release notes (collapse in hybrid queries)", "https://github.com/opensearch-project/neural-search/blob/main/release-notes/opensearch-neural-search.release-notes-3.1.0.0.md"),
];

/// The documentation pages the Elasticsearch files were checked against.
const ELASTICSEARCH_PAGES: &[(&str, &str)] = &[
    ("Dense vector field (dims, index, similarity, index_options)", "https://www.elastic.co/guide/en/elasticsearch/reference/8.11/dense-vector.html"),
    ("Linear retriever (retrievers, weight, normalizer, rank_window_size)", "https://www.elastic.co/docs/reference/elasticsearch/rest-apis/retrievers/linear-retriever"),
    ("Bulk API (final newline, application/x-ndjson)", "https://www.elastic.co/guide/en/elasticsearch/reference/7.8/docs-bulk.html"),
    ("Minimum should match", "https://www.elastic.co/guide/en/elasticsearch/reference/6.1/query-dsl-minimum-should-match.html"),
];

/// The README of an export of `index` for `options`.
pub fn readme(index: &Index, options: &ExportOptions, blend: &Blend, example: &Example) -> String {
    let mut page = Page::default();
    let manifest = index.manifest();
    let product = options.format.product();
    let name = &options.index_name;
    page.line(format!("# backissue export for {product}"));
    page.blank();
    page.line(format!(
        "Written by `backissue export --format {}` from generation {} of `{}` (built {}, \
         schema version {}): {} documents of {} issues, each with a {}-component vector \
         embedded by `{}`.",
        options.format,
        manifest.generation,
        index.dir().display(),
        manifest.built_at,
        manifest.schema_version,
        index.documents().len(),
        manifest.counts.issues,
        index.vectors().dimension(),
        manifest.model.model_id,
    ));
    page.blank();
    files(&mut page, options, index);
    load(&mut page, options, index);
    mapping(&mut page, options, index, blend);
    match options.format {
        Format::OpenSearch => opensearch_query(&mut page, name, index, blend, example),
        Format::Elasticsearch => elasticsearch_query(&mut page, name, index, blend, example),
    }
    approximate(&mut page, options.format, blend);
    page.line("## Documentation checked");
    page.blank();
    let pages = match options.format {
        Format::OpenSearch => OPENSEARCH_PAGES,
        Format::Elasticsearch => ELASTICSEARCH_PAGES,
    };
    for (title, url) in pages {
        page.line(format!("- {title}: <{url}>"));
    }
    page.0
}

fn files(page: &mut Page, options: &ExportOptions, index: &Index) {
    let name = &options.index_name;
    let documents = index.documents().len();
    page.line("## Files");
    page.blank();
    page.line(format!(
        "- `{TEMPLATE_FILE}`: a composable index template for indexes named `{name}` or \
         `{name}-*`: one shard, the analysis backissue reads text with, every field \
         (`dynamic: strict`), and the `{VECTOR_FIELD}` vector field."
    ));
    page.line(format!(
        "- `{BULK_FILE}`: the `_bulk` body, {} lines: for each document an action line \
         `{{\"index\":{{\"_index\":\"{name}\",\"_id\":ID}}}}` (ID is backissue's stable \
         id, so loading it again replaces rather than duplicates) and a line with its \
         fields and vector.",
        2 * documents
    ));
    if options.format == Format::OpenSearch {
        page.line(format!(
            "- `{PIPELINE_FILE}`: the search pipeline that fuses scores as backissue does."
        ));
    }
    page.line(format!(
        "- `{QUERY_FILE}`: a hybrid search that runs as is (below)."
    ));
    page.line(format!("- `{README_FILE}`: this file."));
    page.blank();
}

fn load(page: &mut Page, options: &ExportOptions, index: &Index) {
    let name = &options.index_name;
    let (host, default) = match options.format {
        Format::OpenSearch => ("OPENSEARCH", "http://localhost:9200"),
        Format::Elasticsearch => ("ELASTICSEARCH", "http://localhost:9200"),
    };
    page.line("## Load");
    page.blank();
    page.line(
        "The template first: the bulk request creates the index, which takes the \
         template's settings and mappings only when it is created.",
    );
    page.blank();
    page.line("```sh");
    page.line(format!(
        "{host}={default}   # on a secured cluster: https and -u USER:PASSWORD on each curl"
    ));
    page.line(format!(
        "curl -fsS -X PUT \"${host}/_index_template/{name}\" -H 'Content-Type: application/json' --data-binary @{TEMPLATE_FILE}"
    ));
    page.line(format!(
        "curl -fsS -X POST \"${host}/_bulk?refresh=wait_for\" -H 'Content-Type: application/x-ndjson' --data-binary @{BULK_FILE} | jq .errors   # false"
    ));
    page.line(format!(
        "curl -fsS \"${host}/{name}/_count\"   # {}",
        index.documents().len()
    ));
    page.line("```");
    page.blank();
    page.line(format!(
        "`--data-binary` keeps the line breaks (`-d` drops them, and `_bulk` needs one after \
         every line, the last included). A bulk request is best kept to a few tens of MB; \
         to send the file in parts, split it on an even number of lines so that each \
         action keeps its document: `split -l 2000 {BULK_FILE} part-` and post each part \
         the same way."
    ));
    page.blank();
}

fn mapping(page: &mut Page, options: &ExportOptions, index: &Index, blend: &Blend) {
    let hnsw = index.manifest().hnsw;
    page.line("## What the mapping keeps of backissue");
    page.blank();
    page.line(
        "- **Text.** `title` and `body` are analysed as backissue's keyword index analyses \
         them: split on anything that is not a letter or a digit, tokens over 40 \
         characters dropped, lower-cased, folded to ASCII, stemmed with Porter2 (Snowball \
         English). Both are copied into `text` (title and body as one field, so a word in \
         both saturates once, as backissue's `text` field) and into `names`, which keeps \
         names whole (`holotron-12b`, `$40b`) as backissue's `names` field does. Stop \
         words stay in the index; queries drop backissue's function words (its own list).",
    );
    page.line(
        "- **Facets.** `sectors`, `regions` (always arrays), `section`, `level`, `kind`, \
         `source`, `issue_id` and `event_id` are `keyword`s holding the values as the \
         newsletter writes them (`Finance & Banking`, `South Korea`, `Intermediate`); \
         `date` is a `date` (`strict_date`, `YYYY-MM-DD`); `week` is `year * 100 + week` \
         (`202613`), as backissue sorts weeks; `score` is a top story's editor score.",
    );
    let vector = match options.format {
        Format::OpenSearch => format!(
            "`knn_vector` of dimension {}, HNSW on the Lucene engine with `m` {} and \
             `ef_construction` {} (the parameters this generation's graph was built \
             with), in `cosinesimil` space",
            index.vectors().dimension(),
            hnsw.max_connections,
            hnsw.ef_construction
        ),
        Format::Elasticsearch => format!(
            "`dense_vector` of {} dims, indexed as `hnsw` with `m` {} and \
             `ef_construction` {} (this generation's graph parameters; `hnsw` keeps the \
             float vectors, where newer versions default to a quantized type), with \
             `cosine` similarity",
            index.vectors().dimension(),
            hnsw.max_connections,
            hnsw.ef_construction
        ),
    };
    page.line(format!(
        "- **Vectors.** `{VECTOR_FIELD}`: {vector}. backissue stores unit-length vectors \
         and compares them by dot product, which for unit vectors is the cosine; cosine \
         space gives the same order, tolerates a query vector that was not normalised, \
         and scores a match (1 + cos) / 2, a straight line, so backissue's similarity \
         floor ({}) maps to a fixed score ({}). Row i of backissue's vectors is written \
         with document i, each number as the shortest decimal that reads back as the \
         same 32-bit float.",
        blend.similarity_floor,
        Blend::score_of_cosine(blend.similarity_floor)
    ));
    page.line(
        "- **Metadata.** The mapping's `_meta` names the generation, the model, the HNSW \
         parameters and the multi-valued fields.",
    );
    page.blank();
}

fn blend_formula(page: &mut Page, blend: &Blend) {
    page.line(format!(
        "backissue ranks a hybrid search by `{} × BM25 / best BM25 + {} × clamp((cos − \
         {floor}) / (1 − {floor}), 0, 1)` (`crates/engine/src/search/fusion.rs`): BM25 \
         scaled by the query's best match, similarity above a fixed floor. The semantic \
         side is the {} nearest neighbours with a cosine of at least {}; when specific \
         names make up half the query's words, the semantic weight drops to {}.",
        blend.keyword_weight,
        blend.semantic_weight,
        blend.depth,
        blend.min_similarity,
        blend.names_semantic_weight,
        floor = blend.similarity_floor,
    ));
    page.blank();
}

fn opensearch_query(page: &mut Page, name: &str, index: &Index, blend: &Blend, example: &Example) {
    let floor_score = Blend::score_of_cosine(blend.similarity_floor);
    page.line("## Hybrid search as backissue does it");
    page.blank();
    blend_formula(page, blend);
    page.line(format!(
        "`{PIPELINE_FILE}` reproduces that fusion with OpenSearch's `normalization-processor` \
         (OpenSearch 3.0 or later for `lower_bounds`): `min_max` normalisation with, for \
         the keyword sub-query, a lower bound of 0 (so BM25 / best BM25) and, for the \
         vector sub-query, a lower bound of {floor_score} clipped and an upper bound of 1 \
         (so (score − {floor_score}) / (1 − {floor_score}) = (cos − {floor}) / (1 − {floor}), \
         below the floor 0); then `arithmetic_mean` with weights [{}, {}], which sum to 1, \
         so the mean is backissue's weighted sum. A cluster that refuses `upper_bounds` \
         (added after `lower_bounds`) needs it removed; the vector side is then scaled by \
         the query's best similarity instead of 1.",
        blend.keyword_weight,
        blend.semantic_weight,
        floor = blend.similarity_floor,
    ));
    page.blank();
    page.json(&pipeline(blend, blend.semantic_weight));
    page.line("```sh");
    page.line(format!(
        "curl -fsS -X PUT \"$OPENSEARCH/_search/pipeline/{name}-hybrid\" -H 'Content-Type: application/json' --data-binary @{PIPELINE_FILE}"
    ));
    page.line("```");
    page.blank();
    page.line(format!(
        "For a query whose words are mostly specific names (`Ashgrove Financial`), backissue \
         lowers the semantic weight to {}: create a second pipeline with weights [{}, {}] \
         (`{name}-hybrid-names`) and choose it on the client, which must decide what a \
         name is (backissue: a word never written in lower case, in at most 5% of \
         documents).",
        blend.names_semantic_weight,
        decimal(1.0 - blend.names_semantic_weight),
        blend.names_semantic_weight,
    ));
    page.blank();
    page.line(format!(
        "The query (`{QUERY_FILE}`): the keyword sub-query first, the vector sub-query \
         second, as the pipeline's bounds and weights expect. The keyword side sums BM25 \
         over `text`, `title` (×{}) and `names` (×{}) as backissue sums a word's \
         clauses, and needs every word up to {} words, any word beyond \
         (`minimum_should_match` `{}<1`). The vector side takes the {} nearest \
         neighbours, and `pagination_depth` lets each side bring as many candidates to \
         the fusion (without it, each brings only `from + size`; the pipeline's fixed \
         bounds keep the scores the same either way, only the candidates change). \
         Copies of one piece of news collapse on `event_id` (OpenSearch 3.1 or later; \
         remove `collapse` on older versions).",
        blend.title_boost,
        blend.names_boost,
        blend.all_words_up_to,
        blend.all_words_up_to,
        blend.depth,
    ));
    page.blank();
    page.json(&example_query(
        Format::OpenSearch,
        blend,
        &example.without_vector(),
    ));
    page.line(format!(
        "The file holds {} numbers in `vector`: {}. Run it:",
        example.vector.len(),
        example_source(example),
    ));
    page.blank();
    page.line("```sh");
    page.line(format!(
        "curl -fsS \"$OPENSEARCH/{name}/_search?search_pipeline={name}-hybrid\" -H 'Content-Type: application/json' --data-binary @{QUERY_FILE} | jq '.hits.hits[] | [._score, ._id, ._source.title]'"
    ));
    page.line("```");
    page.blank();
    own_query(
        page,
        index,
        "query.hybrid.queries[0].multi_match.query",
        &format!("query.hybrid.queries[1].knn.{VECTOR_FIELD}.vector"),
    );
    page.line(
        "Or let the cluster embed the query: deploy the same model in ML Commons and \
         replace the `knn` sub-query with a `neural` one (the model must be deployed in \
         OpenSearch; it should be the same model, or the vectors do not compare):",
    );
    page.blank();
    page.json(&blend.neural_query(&example.text));
    page.line(
        "Filters go in the hybrid query's `filter` (OpenSearch 3.0 or later), beside \
         `queries`: it is applied to each sub-query, and the Lucene engine applies a \
         `knn` filter while it searches, so, as in backissue, a filter costs the vector \
         side no neighbours. For example, healthcare stories since June 2025:",
    );
    page.blank();
    page.json(&json!({
        "filter": {
            "bool": {
                "filter": [
                    { "term": { "sectors": "Healthcare" } },
                    { "range": { "date": { "gte": "2025-06-01" } } },
                ],
            },
        },
    }));
}

fn elasticsearch_query(
    page: &mut Page,
    name: &str,
    index: &Index,
    blend: &Blend,
    example: &Example,
) {
    page.line("## Hybrid search close to backissue's");
    page.blank();
    blend_formula(page, blend);
    page.line(format!(
        "`{QUERY_FILE}` uses Elasticsearch's `linear` retriever: a `standard` retriever with \
         the keyword query (BM25 over `text`, `title` ×{} and `names` ×{}; every word up to \
         {} words, any word beyond) and a `knn` retriever for the {} nearest neighbours, \
         each with the `minmax` normalizer and backissue's weights ({} and {}). `minmax` \
         scales each list by its own lowest and highest scores, where backissue scales \
         BM25 by the best score only and the similarity by a fixed floor, so the fusion \
         is close, not equal. Reciprocal rank fusion (the `rrf` retriever) is the other \
         choice; backissue measured convex fusion above it on both of its judged sets. \
         The `linear` retriever is recent: its page (below) says which versions have it.",
        blend.title_boost,
        blend.names_boost,
        blend.all_words_up_to,
        blend.depth,
        blend.keyword_weight,
        blend.semantic_weight,
    ));
    page.blank();
    page.json(&example_query(
        Format::Elasticsearch,
        blend,
        &example.without_vector(),
    ));
    page.line(format!(
        "The file holds {} numbers in `query_vector`: {}. Run it:",
        example.vector.len(),
        example_source(example),
    ));
    page.blank();
    page.line("```sh");
    page.line(format!(
        "curl -fsS \"$ELASTICSEARCH/{name}/_search\" -H 'Content-Type: application/json' --data-binary @{QUERY_FILE} | jq '.hits.hits[] | [._score, ._id, ._source.title]'"
    ));
    page.line("```");
    page.blank();
    own_query(
        page,
        index,
        "retriever.linear.retrievers[0].retriever.standard.query.multi_match.query",
        "retriever.linear.retrievers[1].retriever.knn.query_vector",
    );
}

/// Where the example's words and vector come from.
fn example_source(example: &Example) -> String {
    match &example.id {
        Some(id) => format!(
            "the stored vector of `{id}`, whose title is the query's words, so it finds \
             the stories most like that one"
        ),
        None => "a placeholder unit vector (the index is empty)".to_string(),
    }
}

/// How to run the query with the reader's own words and their embedding.
fn own_query(page: &mut Page, index: &Index, text_path: &str, vector_path: &str) {
    let model = &index.manifest().model;
    page.line(format!(
        "With your own words, the client embeds them with the model the index was built \
         with, `{}` ({} components, mean-pooled and scaled to unit length), and puts \
         both into the file, for example with jq (`VECTOR` holds the embedding as a JSON \
         array). backissue runs an int8-quantised ONNX export of the model, so a \
         full-precision copy gives slightly different vectors; the ranking is close, not \
         identical.",
        model.model_id, model.dimension,
    ));
    page.blank();
    page.line("```sh");
    page.line(format!(
        "jq --arg q 'robots that work without the cloud' --argjson v \"$VECTOR\" '.{text_path} = $q | .{vector_path} = $v' {QUERY_FILE} > my-query.json"
    ));
    page.line("```");
    page.blank();
}

fn approximate(page: &mut Page, format: Format, blend: &Blend) {
    page.line("## Where the mirror is approximate");
    page.blank();
    let window = match format {
        Format::OpenSearch => "`pagination_depth`",
        Format::Elasticsearch => "`rank_window_size`",
    };
    page.line(format!(
        "- **Candidates.** backissue fuses every keyword match with its semantic \
         neighbours; the query fuses at most {window} ({}) results of each side (per \
         shard; the template makes one shard).",
        blend.depth
    ));
    page.line(
        "- **Keyword side.** backissue reads a query before matching it: relative dates \
         (`last year`, `since March`) become a date filter, question filler is dropped, \
         typos are corrected and the last word completed from the archive's own words, \
         abbreviations match their long forms, words naming a sector or region also match \
         what is tagged with it, a coverage bonus (idf × 2 per distinct word, more for a \
         specific name) lifts documents that answer more of the query, words typed \
         together earn a phrase bonus, a query of names needs every word, and a document \
         whose title is the query comes first. None of this is in the template or the \
         query; a plain `multi_match` is BM25 with backissue's analysis, fields and \
         weights.",
    );
    page.line(format!(
        "- **Semantic side.** backissue keeps only neighbours with a cosine of at least {}; \
         the query takes the {} nearest whatever their cosine, so a neighbour between {} \
         and {} adds a little where backissue adds nothing, and one below {} is listed \
         with a semantic score of 0 (its keyword score, if any, still counts). The \
         engine builds its own HNSW graph from the same vectors and parameters{}.",
        blend.min_similarity,
        blend.depth,
        blend.similarity_floor,
        blend.min_similarity,
        blend.similarity_floor,
        match format {
            Format::OpenSearch => format!(
                "; Lucene searches {} candidates (its `ef_search` is `k`), backissue {}",
                blend.depth, blend.ef_search
            ),
            Format::Elasticsearch => format!(
                "; `num_candidates` is {}, backissue's `ef_search` {}",
                blend.depth.max(blend.ef_search),
                blend.ef_search
            ),
        }
    ));
    page.line(
        "- **Analysis.** The pattern tokenizer splits on what is not a letter or digit \
         (`\\p{L}`, `\\p{N}`), as tantivy's simple tokenizer does by Rust's alphanumeric \
         test; the two differ on a few marks. The names analyzer strips surrounding \
         punctuation and a possessive once, where backissue repeats until nothing \
         changes (`U.S.'s` is `u.s.` here, `u.s` in backissue). `multi_match` applies \
         `minimum_should_match` per field, backissue per word across fields.",
    );
    page.line(
        "- **Counts.** backissue counts facets and totals after collapsing copies of an \
         event; an engine's aggregations count before collapse.",
    );
    page.blank();
}

/// A Markdown page being written.
#[derive(Default)]
struct Page(String);

impl Page {
    fn line(&mut self, text: impl AsRef<str>) {
        self.0.push_str(text.as_ref());
        self.0.push('\n');
    }

    fn blank(&mut self) {
        self.0.push('\n');
    }

    /// `value` as a fenced JSON block.
    fn json(&mut self, value: &Value) {
        self.line("```json");
        self.line(serde_json::to_string_pretty(value).unwrap_or_default());
        self.line("```");
        self.blank();
    }
}
