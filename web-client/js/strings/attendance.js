// Strings of consent 5 (PML 20, 23(3)): a party's agreement to each invited participant and
// observer, on the consents page; the mediator's notices when someone cannot come in yet or
// a party withdraws their agreement; and what the attendee sent back to wait is told.
// Same rules as i18n.js.

export default {
  'zh-CN': {
    'attendees.heading': '其他参加人员',
    'attendees.intro': '以下人员需要经过每一方当事人同意，才能参加或旁听调解。请逐一决定。',
    'attendees.agree': '我同意',
    'attendees.withdraw': '撤回同意',
    'attendees.given': '您已于 {date} 同意。',
    'attendees.saved': '已记录您的决定。',
    'session.error_attendance_not_consented': '还有当事人没有同意此人参加调解，暂时不能让其进入（《人民调解法》第二十条、第二十三条）。',
    'session.attendance_withdrawn_notice': '{party}已于 {time} 撤回对{name}参加调解的同意。',
    'session.attendance_withdrawn_detail': '其他人员只有在每一方当事人都同意时才能参加或旁听调解（《人民调解法》第二十条、第二十三条）。此人如已在调解室内，现已回到等候室；该当事人重新同意后，才能再让其进入。此撤回已记入案件记录。',
    'session.returned_attendance_withdrawn': '有一方当事人撤回了对您参加调解的同意，您已回到等候室，其他人看不到、听不到您，您也看不到、听不到他们（《人民调解法》第二十条、第二十三条）。每一方当事人都同意后，调解员才能再让您进入。',
    'session.returned_party_added': '本案新增了一方当事人，其尚未同意您参加调解，您已回到等候室，其他人看不到、听不到您，您也看不到、听不到他们（《人民调解法》第二十条、第二十三条）。每一方当事人都同意后，调解员才能再让您进入。',
    'session.attendance_new_party_notice': '{party}于 {time} 加入本案，尚未同意{name}参加调解。',
    'session.attendance_new_party_detail': '其他人员只有在每一方当事人都同意时才能参加或旁听调解（《人民调解法》第二十条、第二十三条）。此人已回到等候室；新当事人同意后，才能再让其进入。此变化已记入案件记录。',
  },
  en: {
    'attendees.heading': 'Others attending',
    'attendees.intro': 'These people may take part in or observe the mediation only if every party agrees. Please decide for each one.',
    'attendees.agree': 'I agree',
    'attendees.withdraw': 'Withdraw my agreement',
    'attendees.given': 'You agreed on {date}.',
    'attendees.saved': 'Your decision is recorded.',
    'session.error_attendance_not_consented': 'Not every party has agreed to this person attending yet, so they cannot come in (People’s Mediation Law, arts. 20 and 23).',
    'session.attendance_withdrawn_notice': '{party} withdrew their agreement to {name} attending at {time}.',
    'session.attendance_withdrawn_detail': 'Others may take part in or observe the mediation only while every party agrees (People’s Mediation Law, arts. 20 and 23). If they were in a room, they are back in the waiting room; they can be let in again once that party agrees again. The withdrawal is in the case record.',
    'session.returned_attendance_withdrawn': 'A party has withdrawn their agreement to your attending, so you are back in the waiting room: nobody can see or hear you, nor you them (People’s Mediation Law, arts. 20 and 23). The mediator can let you in again only once every party agrees.',
    'session.returned_party_added': 'A new party has joined the case and has not yet agreed to your attending, so you are back in the waiting room: nobody can see or hear you, nor you them (People’s Mediation Law, arts. 20 and 23). The mediator can let you in again only once every party agrees.',
    'session.attendance_new_party_notice': '{party} joined the case at {time} and has not yet agreed to {name} attending.',
    'session.attendance_new_party_detail': 'Others may take part in or observe the mediation only while every party agrees (People’s Mediation Law, arts. 20 and 23). They are back in the waiting room; they can be let in again once the new party agrees. The change is in the case record.',
  },
};
