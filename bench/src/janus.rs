//! The same load against Janus's VideoRoom: to come.

use crate::options::Shape;
use crate::report::Report;

pub async fn run(_janus: &std::path::Path, _shape: Shape) -> anyhow::Result<Report> {
    anyhow::bail!("--against janus is not implemented yet")
}
