use super::*;
use uuid::Uuid;

fn id(n: u128) -> AgendaItemId {
    AgendaItemId::from_uuid(Uuid::from_u128(n))
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_millis(1_000_000 + seconds * 1000)
}

fn draft(title: &str) -> AgendaDraft {
    AgendaDraft::parse(title, None).unwrap()
}

/// An agenda of three pending items, 1, 2 and 3.
fn three() -> Agenda {
    let mut agenda = Agenda::default();
    for (n, title) in [(1, "核实身份"), (2, "双方陈述"), (3, "赔偿金额")] {
        agenda
            .apply(
                AgendaCommand::Add {
                    id: id(n),
                    draft: draft(title),
                },
                at(0),
            )
            .unwrap();
    }
    agenda
}

fn step(
    agenda: &mut Agenda,
    n: u128,
    step: AgendaStep,
    s: i64,
) -> Result<CaseEvent, AgendaRefusal> {
    agenda.apply(AgendaCommand::Step { id: id(n), step }, at(s))
}

fn statuses(agenda: &Agenda) -> Vec<AgendaStatus> {
    agenda.items().iter().map(|i| i.status).collect()
}

#[test]
fn items_are_added_at_the_end_and_recorded_with_their_position() {
    let mut agenda = three();
    let event = agenda
        .apply(
            AgendaCommand::Add {
                id: id(4),
                draft: AgendaDraft::parse(" 履行期限 ", Some("  ")).unwrap(),
            },
            at(0),
        )
        .unwrap();
    assert_eq!(
        event,
        CaseEvent::AgendaItemAdded {
            item: id(4),
            title: "履行期限".into(),
            description: None,
            position: 3
        }
    );
    assert_eq!(agenda.items().len(), 4);
    assert_eq!(statuses(&agenda), [AgendaStatus::Pending; 4]);
}

#[test]
fn time_is_spent_from_start_to_finish_and_adds_up_across_stretches() {
    let mut agenda = three();
    assert_eq!(
        step(&mut agenda, 1, AgendaStep::Start, 10),
        Ok(CaseEvent::AgendaItemStarted { item: id(1) })
    );
    assert_eq!(agenda.items()[0].seconds_at(at(70)), 60, "running");
    assert_eq!(
        step(&mut agenda, 1, AgendaStep::Skip, 100),
        Ok(CaseEvent::AgendaItemSkipped {
            item: id(1),
            seconds_spent: 90
        })
    );
    // Taken up again later: the second stretch adds to the first.
    step(&mut agenda, 2, AgendaStep::Start, 100).unwrap();
    step(&mut agenda, 2, AgendaStep::Finish, 400).unwrap();
    step(&mut agenda, 1, AgendaStep::Start, 500).unwrap();
    assert_eq!(
        step(&mut agenda, 1, AgendaStep::Finish, 530),
        Ok(CaseEvent::AgendaItemFinished {
            item: id(1),
            seconds_spent: 120
        })
    );
    let first = &agenda.items()[0];
    assert_eq!((first.status, first.started_at), (AgendaStatus::Done, None));
    assert_eq!(
        first.seconds_at(at(9_999)),
        120,
        "closed items stop counting"
    );
    assert_eq!(agenda.items()[1].seconds_spent, 300);
}

#[test]
fn partial_seconds_and_a_clock_stepping_back_count_down_to_whole_non_negative_seconds() {
    let mut agenda = three();
    agenda
        .apply(
            AgendaCommand::Step {
                id: id(1),
                step: AgendaStep::Start,
            },
            Timestamp::from_millis(5_000),
        )
        .unwrap();
    let event = agenda
        .apply(
            AgendaCommand::Step {
                id: id(1),
                step: AgendaStep::Finish,
            },
            Timestamp::from_millis(6_999),
        )
        .unwrap();
    assert_eq!(
        event,
        CaseEvent::AgendaItemFinished {
            item: id(1),
            seconds_spent: 1
        }
    );
    step(&mut agenda, 2, AgendaStep::Start, 100).unwrap();
    let event = step(&mut agenda, 2, AgendaStep::Skip, 50).unwrap();
    assert_eq!(
        event,
        CaseEvent::AgendaItemSkipped {
            item: id(2),
            seconds_spent: 0
        }
    );
}

#[test]
fn steps_are_refused_from_the_wrong_status_and_one_item_runs_at_a_time() {
    use AgendaStatus as S;
    use AgendaStep as T;
    let mut agenda = three();
    let refused = |status, step| Err(AgendaRefusal::StepNotAllowed { status, step });
    assert_eq!(
        step(&mut agenda, 1, T::Finish, 0),
        refused(S::Pending, T::Finish)
    );
    step(&mut agenda, 1, T::Start, 0).unwrap();
    assert_eq!(
        step(&mut agenda, 1, T::Start, 1),
        refused(S::InProgress, T::Start)
    );
    assert_eq!(
        step(&mut agenda, 2, T::Start, 1),
        Err(AgendaRefusal::AnotherInProgress)
    );
    step(&mut agenda, 1, T::Finish, 2).unwrap();
    for t in [T::Start, T::Finish, T::Skip] {
        assert_eq!(step(&mut agenda, 1, t, 3), refused(S::Done, t), "{t}");
    }
    step(&mut agenda, 2, T::Skip, 3).unwrap();
    assert_eq!(
        step(&mut agenda, 2, T::Skip, 3),
        refused(S::Skipped, T::Skip)
    );
    assert_eq!(
        step(&mut agenda, 2, T::Finish, 3),
        refused(S::Skipped, T::Finish)
    );
    assert_eq!(
        step(&mut agenda, 9, T::Start, 3),
        Err(AgendaRefusal::UnknownItem)
    );
    assert_eq!(statuses(&agenda), [S::Done, S::Skipped, S::Pending]);
}

#[test]
fn reordering_needs_every_item_exactly_once() {
    let mut agenda = three();
    let before = agenda.clone();
    for bad in [
        vec![id(3), id(1)],
        vec![id(3), id(1), id(1)],
        vec![id(3), id(1), id(9)],
        vec![id(3), id(1), id(2), id(2)],
    ] {
        assert_eq!(
            agenda.apply(AgendaCommand::Reorder(bad.clone()), at(0)),
            Err(AgendaRefusal::NotAPermutation),
            "{bad:?}"
        );
        assert_eq!(
            agenda, before,
            "a refused change leaves the agenda as it was"
        );
    }
    let order = vec![id(3), id(1), id(2)];
    assert_eq!(
        agenda.apply(AgendaCommand::Reorder(order.clone()), at(0)),
        Ok(CaseEvent::AgendaReordered {
            items: order.clone()
        })
    );
    let ids: Vec<_> = agenda.items().iter().map(|i| i.id).collect();
    assert_eq!(ids, order);
}

#[test]
fn edits_keep_the_status_and_deletes_spare_the_item_in_progress() {
    let mut agenda = three();
    step(&mut agenda, 2, AgendaStep::Start, 0).unwrap();
    let edited = AgendaDraft::parse("双方陈述意见", Some("先申请人，后被申请人")).unwrap();
    agenda
        .apply(
            AgendaCommand::Edit {
                id: id(2),
                draft: edited,
            },
            at(1),
        )
        .unwrap();
    let item = &agenda.items()[1];
    assert_eq!(
        (
            item.title.as_str(),
            item.description.as_deref(),
            item.status
        ),
        (
            "双方陈述意见",
            Some("先申请人，后被申请人"),
            AgendaStatus::InProgress
        )
    );
    assert_eq!(
        agenda.apply(AgendaCommand::Delete(id(2)), at(2)),
        Err(AgendaRefusal::DeleteInProgress)
    );
    assert_eq!(
        agenda.apply(AgendaCommand::Delete(id(1)), at(2)),
        Ok(CaseEvent::AgendaItemDeleted { item: id(1) })
    );
    assert_eq!(
        agenda.apply(AgendaCommand::Delete(id(1)), at(2)),
        Err(AgendaRefusal::UnknownItem)
    );
    assert_eq!(agenda.items().len(), 2);
}

#[test]
fn an_agenda_is_bounded_and_its_words_are_checked() {
    let mut agenda = Agenda::default();
    for n in 0..MAX_ITEMS {
        let command = AgendaCommand::Add {
            id: id(n as u128),
            draft: draft("议题"),
        };
        agenda.apply(command, at(0)).unwrap();
    }
    let one_more = AgendaCommand::Add {
        id: id(999),
        draft: draft("议题"),
    };
    assert_eq!(agenda.apply(one_more, at(0)), Err(AgendaRefusal::Full));

    let fields = |err: Invalid| err.0.into_iter().map(|e| e.field).collect::<Vec<_>>();
    let long = "题".repeat(MAX_TITLE_CHARS + 1);
    let longer = "述".repeat(MAX_DESCRIPTION_CHARS + 1);
    assert_eq!(
        fields(AgendaDraft::parse(" ", Some(&longer)).unwrap_err()),
        ["title", "description"]
    );
    assert_eq!(
        fields(AgendaDraft::parse(&long, None).unwrap_err()),
        ["title"]
    );
}
