//! `accord-bench`: what one Accord node carries. It drives concurrent sessions through the real
//! signalling and real WebRTC, measures the server process from /proc, and can run the same
//! load against Janus's VideoRoom in the same invocation (`janus`) or raise the load until the
//! server no longer keeps up (`sweep`).
//!
//! Layout: `options` is the command line, `accord` and `janus` start a server and join
//! participants to it, `measure` is the measurement both share, `report` the JSON and the
//! table, `procfs` what /proc says of a process, `netns` the network namespace the comparison
//! with Janus runs in.

pub mod accord;
pub mod janus;
pub mod measure;
pub mod netns;
pub mod options;
pub mod procfs;
pub mod report;

use measure::Participant;
use options::{Against, Options, Shape};
use report::{holds, Document, Ratios, Report, Sweep};

/// Runs what `options` asks for and returns the report.
pub async fn run(options: &Options) -> anyhow::Result<Document> {
    let machine = procfs::Machine::read();
    let binary = accord::binary(options.accord_bin.as_deref())?;
    let shape = Shape::from_options(options, options.sessions);
    let first = run_accord(&binary, shape).await?;
    let janus = match options.against {
        Some(Against::Janus) => Some(janus::run(&options.janus_bin, shape).await?),
        None => None,
    };
    let sweep = if options.sweep {
        Some(sweep(options, &binary, first.clone()).await)
    } else {
        None
    };
    Ok(Document {
        machine,
        shape,
        accord_over_janus: janus.as_ref().map(|j| Ratios::of(&first, j)),
        accord: first,
        janus,
        sweep,
    })
}

/// One run against a fresh Accord server.
pub async fn run_accord(binary: &std::path::Path, shape: Shape) -> anyhow::Result<Report> {
    let server = accord::AccordServer::start(binary).await?;
    let measured = async {
        let admin = server.set_up().await?;
        let mut prepared = Vec::new();
        for index in 0..shape.sessions {
            prepared.push(
                server
                    .prepare(&admin, index, shape.participants_per_session)
                    .await?,
            );
        }
        let target = server.server()?;
        let joins = futures_util::future::join_all(
            prepared
                .into_iter()
                .map(|session| accord::join(session, shape.load())),
        )
        .await;
        let (mut participants, mut members) = (Vec::<Participant>::new(), Vec::new());
        let mut failed = None;
        for joined in joins {
            match joined {
                Ok(session) => {
                    for (participant, member) in session {
                        participants.push(participant);
                        members.push(member);
                    }
                }
                Err(err) => failed = Some(err),
            }
        }
        let report = match failed {
            Some(err) => Err(err),
            None => measure::measure(target, shape, &participants).await,
        };
        for member in members {
            member.cut().await;
        }
        report
    }
    .await;
    server.stop().await;
    measured
}

/// Raises the number of sessions by `sweep_step` from the first run's until a step does not
/// hold or `sweep_max` is passed. A step whose participants could not even join is past the
/// knee too.
async fn sweep(options: &Options, binary: &std::path::Path, first: Report) -> Sweep {
    let mut knee = None;
    let mut last_held = holds(&first);
    if last_held {
        knee = Some(first.shape.sessions);
    }
    let mut steps = vec![first];
    let mut stopped_because = String::from("the first step did not hold");
    let mut sessions = options.sessions;
    while last_held {
        sessions += options.sweep_step.max(1);
        if sessions > options.sweep_max {
            stopped_because = format!("reached --sweep-max {}", options.sweep_max);
            break;
        }
        match run_accord(binary, Shape::from_options(options, sessions)).await {
            Ok(step) => {
                last_held = holds(&step);
                if last_held {
                    knee = Some(sessions);
                } else {
                    stopped_because = format!(
                        "{sessions} sessions: loss {:.2} %, p99 {:.1} ms, {} of {} with media",
                        step.loss * 100.0,
                        step.latency_p99_ms,
                        step.participants_with_media,
                        step.shape.participants()
                    );
                }
                steps.push(step);
            }
            Err(err) => {
                stopped_because = format!("{sessions} sessions could not join: {err:#}");
                break;
            }
        }
    }
    Sweep {
        steps,
        knee_sessions: knee,
        stopped_because,
    }
}
