// Strings of consent 5 (PML 20, 23(3)): a party's agreement to each invited participant and
// observer, on the consents page, and the mediator's notice when someone cannot come in yet.
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
  },
  en: {
    'attendees.heading': 'Others attending',
    'attendees.intro': 'These people may take part in or observe the mediation only if every party agrees. Please decide for each one.',
    'attendees.agree': 'I agree',
    'attendees.withdraw': 'Withdraw my agreement',
    'attendees.given': 'You agreed on {date}.',
    'attendees.saved': 'Your decision is recorded.',
    'session.error_attendance_not_consented': 'Not every party has agreed to this person attending yet, so they cannot come in (People’s Mediation Law, arts. 20 and 23).',
  },
};
