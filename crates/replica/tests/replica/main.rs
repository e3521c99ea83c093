//! Publishing and pulling through real stores: a folder, and an S3-compatible server
//! (moto). One module per concern; `common` is the harness.

mod common;
mod failures;
mod publish;
mod pull;
mod s3;
