// Translations and language switching.
//
// This module must stay importable from Node (see i18n-check.mjs): the
// dictionaries are plain data, and `document`, `navigator` and
// `localStorage` are only touched inside functions.
//
// Keys are flat, dotted strings. Both dictionaries must have exactly the same
// keys, no empty values and the same {placeholders} in each pair.

import agreementStrings from './strings/agreement.js';
import attendanceStrings from './strings/attendance.js';
import confirmationStrings from './strings/confirmation.js';
import consoleStrings from './strings/console.js';
import dossierStrings from './strings/dossier.js';
import followUpStrings from './strings/follow-up.js';
import partyStrings from './strings/party.js';
import statisticsStrings from './strings/statistics.js';
import supervisionStrings from './strings/supervision.js';
import recordStrings from './strings/record.js';

export const LANGUAGES = ['zh-CN', 'en'];
export const DEFAULT_LANGUAGE = 'en';
const STORAGE_KEY = 'accord.lang';

const zhCN = {
  'app.name': 'Accord',
  'app.tagline': '在线人民调解',
  'nav.skip': '跳到主要内容',
  'lang.switch': 'English',

  'common.loading': '正在加载…',
  'common.retry': '重试',
  'common.back_home': '返回首页',
  'common.list_separator': '、',

  'form.all_required': '所有项目均为必填。',
  'form.required': '此项为必填。',
  'form.invalid': '请检查此项。',
  'form.fix_errors': '请修改下方标出的内容。',
  'form.show_password': '显示密码',

  'time.seconds_one': '{n} 秒',
  'time.seconds_other': '{n} 秒',
  'time.minutes_one': '{n} 分钟',
  'time.minutes_other': '{n} 分钟',
  'time.hours_one': '{n} 小时',
  'time.hours_other': '{n} 小时',

  'error.generic': '出现了问题，请稍后重试。',
  'error.network': '无法连接服务器。请检查网络连接后重试。',
  'error.server': '服务器暂时出现问题，请稍后重试。',
  'error.too_many_attempts': '尝试次数过多。请等待 {duration}后再试。',
  'error.too_many_attempts_unknown': '尝试次数过多。请稍等片刻后再试。',
  'error.invalid_credentials': '用户名或密码错误。',
  'error.session_ended': '您的登录已失效，请重新登录。',

  'index.title': 'Accord 在线人民调解',
  'index.heading': 'Accord 在线人民调解',
  'index.intro': 'Accord 是供人民调解委员会使用的在线调解平台：调解员与纠纷各方可以在这里在线沟通、开展调解、达成协议，无需来回奔波。',
  'index.parties_heading': '我是当事人',
  'index.parties': '请打开调解员发给您的邀请链接，即可参加调解。',
  'index.staff_heading': '我是调解员或工作人员',
  'index.staff_login': '工作人员登录',

  'login.title': '工作人员登录 — Accord',
  'login.heading': '工作人员登录',
  'login.intro': '供调解员和调解委员会管理员使用。',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.success': '登录成功，正在进入工作台…',
  'login.forgot': '忘记密码？请联系本委员会的管理员。',

  'setup.title': '初始设置 — Accord',
  'setup.heading': '初始设置',
  'setup.intro': '创建本调解委员会及其第一个管理员账号。调解员账号可以在之后添加。',
  'setup.committee_legend': '人民调解委员会',
  'setup.committee_name': '委员会名称',
  'setup.committee_name_hint': '请填写完整名称，例如：某某街道人民调解委员会。',
  'setup.committee_kind': '委员会类型',
  'setup.committee_kind_choose': '请选择…',
  'setup.region': '所在地区',
  'setup.region_hint': '例如：北京市朝阳区',
  'setup.admin_legend': '管理员账号',
  'setup.admin_intro': '管理员负责管理本委员会的工作人员账号。',
  'setup.username': '用户名',
  'setup.username_hint': '登录时使用。',
  'setup.display_name': '显示名称',
  'setup.display_name_hint': '同事和当事人看到的名字，例如：王丽。',
  'setup.password': '密码',
  'setup.password_hint': '至少 12 个字符。',
  'setup.password_confirm': '确认密码',
  'setup.submit': '创建委员会和管理员账号',
  'setup.submitting': '正在创建…',
  'setup.success': '设置完成，正在进入工作台…',
  'setup.password_too_short': '密码至少需要 12 个字符。',
  'setup.password_mismatch': '两次输入的密码不一致。',
  'setup.username_rejected': '无法使用此用户名，请换一个（建议只用字母和数字）。',
  'setup.password_rejected': '无法使用此密码，请换一个至少 12 个字符的密码。',
  'setup.invalid_heading': '此设置链接无效或已被使用',
  'setup.invalid_body': '设置链接只能使用一次。如果本委员会已经完成设置，请直接登录。',
  'setup.invalid_new_link': '如需新的设置链接，请联系负责运行服务器的人员：在空数据库上重新启动服务器时，服务器会打印新的设置链接；也可以在服务器上使用“accord admin”命令。',
  'setup.go_login': '前往登录',

  'committee_kind.street_town': '街道/乡镇人民调解委员会',
  'committee_kind.village_community': '村/社区人民调解委员会',
  'committee_kind.industry_professional': '行业性/专业性人民调解委员会',
  'committee_kind.court_annexed': '驻法院人民调解委员会',

  'console.title': '工作台 — Accord',
  'console.greeting': '{name}，您好',
  'console.user_meta': '{role} · {committee}',
  'console.logout': '退出登录',
  'console.logging_out': '正在退出…',
  'console.cases_heading': '案件',
  'console.cases_loading': '正在加载案件…',
  'console.cases_error': '无法加载案件列表。',
  'console.no_cases': '暂无案件。',
  'console.case_count_one': '共 {n} 件',
  'console.case_count_other': '共 {n} 件',
  'console.case_dispute_type': '纠纷类型',
  'console.case_status': '状态',
  'console.case_created': '登记日期',
  'console.logout_failed': '退出登录失败，请重试。',
  'console.open_session': '进入调解室',

  'staff_role.admin': '管理员',
  'staff_role.mediator': '调解员',

  'join.title': '调解邀请 — Accord',
  'join.heading': '调解邀请',
  'join.checking': '正在核验您的邀请…',
  'join.invited': '{committee}邀请您参加案件 {number}（{dispute_type}）的调解。',
  'join.your_name': '您的姓名',
  'join.your_role': '您的身份',
  'join.role_side': '{role}（{side}）',
  'join.mediators_one': '调解员',
  'join.mediators_other': '调解员',
  'join.keep_private': '邀请链接仅供您本人使用，请不要转发给他人。',
  'join.error_heading': '无法打开邀请',
  'join.invitation_invalid': '此邀请链接无效。请确认打开的是完整的链接，或联系调解员获取新的链接。',
  'join.invitation_expired': '此邀请链接已过期。请联系调解员获取新的链接。',
  'join.invitation_used': '此邀请链接已被使用过。如需在其他设备上参加，或链接并非您本人使用，请联系调解员获取新的链接。',
  'join.invitation_revoked': '此邀请链接已被撤回。请联系调解员获取新的链接。',
  'join.no_token': '请打开调解员发给您的邀请链接来参加调解。如果找不到链接，请联系调解员获取新的链接。',
  'join.staff_session': '您当前以工作人员身份登录。本页面供受邀参加调解的当事人使用。',
  'join.go_console': '前往工作台',

  'session.title': '调解室 — Accord',
  'session.case_heading': '案件 {number}',
  'session.title_short': '调解室',
  'session.connecting': '正在连接…',
  'session.signed_out': '您尚未登录或登录已失效。工作人员请重新登录；当事人请重新打开调解员发给您的邀请链接。',
  'session.go_login': '工作人员登录',
  'session.no_case': '没有指定案件。请在工作台的案件列表中选择“进入调解室”。',
  'session.no_case_participant': '找不到您的案件。请重新打开调解员发给您的邀请链接。',
  'session.back_console': '返回工作台',
  'session.back_invitation': '返回邀请页面',
  'session.status_connecting': '正在连接…',
  'session.status_reconnecting': '连接中断，正在重新连接…',
  'session.status_connected': '已连接',
  'session.private_banner_title': '单独谈话室',
  'session.private_banner_text': '这里只有本谈话室内的人能看到、听到您，并看到您发的消息。',
  'session.waiting_heading': '等候室',
  'session.waiting_text': '请稍候，调解员会请您进入调解室。',
  'session.waiting_preview': '您可以先检查摄像头和麦克风是否正常。此时其他人还看不到、听不到您。',
  'session.leave': '离开',
  'session.stage_heading': '本室人员',
  'session.enable_sound': '打开声音',
  'session.controls': '您的麦克风、摄像头和举手',
  'session.mic_mute': '关闭麦克风',
  'session.mic_unmute': '打开麦克风',
  'session.camera_off_action': '关闭摄像头',
  'session.camera_on_action': '打开摄像头',
  'session.raise_hand': '举手',
  'session.lower_hand': '放下手',
  'session.queue_heading': '等待进入的人',
  'session.queue_empty': '目前没有人在等候。',
  'session.queue_notice_one': '{name}正在等候进入',
  'session.queue_notice_other': '{n} 人正在等候进入',
  'session.admit': '允许进入',
  'session.deny': '拒绝进入',
  'session.deny_heading': '拒绝{name}进入',
  'session.deny_text': '本次调解中，此人将不能再进入。',
  'session.rooms_heading': '调解室',
  'session.joint_room': '共同调解室',
  'session.room_named': '单独谈话室：{name}',
  'session.room_unknown': '调解室',
  'session.room_empty': '无人。',
  'session.room_name_label': '新单独谈话室的名称',
  'session.room_name_invalid': '请填写 1 至 40 个字的名称。',
  'session.create_room': '新建单独谈话室',
  'session.move_label': '将{name}移至',
  'session.mute_member': '关闭其麦克风',
  'session.remove': '移出',
  'session.remove_heading': '将{name}移出调解',
  'session.remove_text': '本次调解中，此人将不能再进入。',
  'session.return_all': '所有人回到共同调解室',
  'session.lock': '锁定调解',
  'session.unlock': '解除锁定',
  'session.lock_hint': '锁定后，新的人员不能再请求进入；正在等候或已在调解室内的人不受影响。',
  'session.bye_locked': '调解员已暂时锁定本次调解，暂不接受新的进入请求。请稍后再打开您的链接，或联系调解员。',
  'session.ended_heading_locked': '调解暂时锁定',
  'session.end': '结束调解',
  'session.end_heading': '结束本次调解？',
  'session.end_text': '所有人都将离开调解室。',
  'session.reason_label': '理由',
  'session.reason_hint': '对方会看到此理由。',
  'session.reason_required': '请填写理由。',
  'session.cancel': '取消',
  'session.people_heading': '本室人员',
  'session.you': '您',
  'session.you_label': '您 · {role}',
  'session.role_mediator': '调解员',
  'session.role_side': '{role}（{side}）',
  'session.role_unknown': '参加人',
  'session.flag_hand': '已举手',
  'session.flag_mic_off': '麦克风已关闭',
  'session.flag_camera_off': '摄像头已关闭',
  'session.flag_disconnected': '连接中断',
  'session.camera_off': '摄像头已关闭',
  'session.no_media_yet': '正在接通画面…',
  'session.no_local_media': '没有摄像头画面',
  'session.chat_heading': '本室消息',
  'session.chat_label': '消息',
  'session.chat_placeholder': '输入消息',
  'session.chat_send': '发送',
  'session.chat_you': '我',
  'session.chat_failed': '消息未能发送，请重试。',
  'session.chat_moved': '您现在在：{room}。这里的消息只有本室的人能看到。',
  'session.media_denied': '无法使用摄像头和麦克风：浏览器未获得许可。请在浏览器地址栏中允许后重新加载本页面。',
  'session.media_unavailable': '找不到可用的摄像头或麦克风。您仍可以看到、听到其他人。',
  'session.media_unsupported': '此浏览器不支持视频通话。请使用最新版的 Chrome、Edge、Firefox 或 Safari。',
  'session.media_failed': '音视频连接未能建立，请稍后重试或重新加载本页面。',
  'session.muted_mic_by_mediator': '调解员关闭了您的麦克风。需要发言时，您可以自己重新打开。',
  'session.muted_camera_by_mediator': '调解员关闭了您的摄像头。您可以自己重新打开。',
  'session.action_failed': '操作未能完成，请重试。',
  'session.error_not_a_mediator': '只有调解员可以这样做。',
  'session.error_not_admitted': '您还没有进入调解室。',
  'session.error_unknown_member': '此人已不在调解中。',
  'session.error_not_waiting': '此人已不在等候。',
  'session.error_unknown_room': '此调解室已不存在。',
  'session.error_mediator_protected': '不能对调解员这样做。',
  'session.error_too_many_rooms': '调解室数量已达上限。',
  'session.error_rate_limited': '操作过于频繁，请稍候。',
  'session.error_disconnected': '连接已中断，请在重新连接后再试。',
  'session.ended_heading': '您已离开调解',
  'session.ended_heading_refused': '未能进入调解',
  'session.ended_heading_removed': '您已被移出调解',
  'session.ended_heading_ended': '调解已结束',
  'session.ended_heading_replaced': '本页面已断开',
  'session.refused_heading': '无法进入调解',
  'session.bye_denied': '调解员没有允许您进入本次调解。如有疑问，请联系调解员。',
  'session.bye_removed': '调解员已将您移出本次调解。如有疑问，请联系调解员。',
  'session.bye_ended': '调解员已结束本次调解。感谢您的参与。',
  'session.bye_left': '调解仍在进行时，重新打开调解页面即可回来。',
  'session.bye_replaced': '您已在其他窗口或设备上进入调解，本页面已断开。',
  'session.bye_reason': '调解员说明的理由：{reason}',
  'session.refused_unauthenticated': '您尚未登录或登录已失效。工作人员请重新登录；当事人请重新打开邀请链接。',
  'session.refused_forbidden': '您不能进入此案件的调解。',
  'session.refused_not_found': '找不到此案件。',
  'session.refused_not_in_mediation': '此案件目前没有进行中的调解。案件受理后才能开始调解。',
  'session.refused_generic': '无法进入调解。',

  'participant_role.party': '当事人',
  'participant_role.agent': '代理人',
  'participant_role.invited': '邀请参与人',
  'participant_role.observer': '旁听人',
  'participant_role.interpreter': '翻译',

  'side.applicant': '申请人',
  'side.respondent': '被申请人',

  'dispute_type.marriage_family': '婚姻家庭',
  'dispute_type.neighbour': '邻里',
  'dispute_type.housing_homestead': '房屋宅基地',
  'dispute_type.contract': '合同',
  'dispute_type.business': '生产经营',
  'dispute_type.damages': '损害赔偿',
  'dispute_type.forest_land': '山林土地',
  'dispute_type.requisition_demolition': '征地拆迁',
  'dispute_type.pollution': '环境污染',
  'dispute_type.labour': '劳动争议',
  'dispute_type.consumer': '消费',
  'dispute_type.medical': '医疗',
  'dispute_type.road_traffic': '道路交通',
  'dispute_type.property_management': '物业',
  'dispute_type.intellectual_property': '知识产权',
  'dispute_type.internet': '互联网',
  'dispute_type.other': '其他',

  'case_status.registered': '已登记',
  'case_status.accepted': '已受理',
  'case_status.refused': '不予受理',
  'case_status.in_mediation': '调解中',
  'case_status.agreed': '已达成协议',
  'case_status.effective': '协议已生效',
  'case_status.terminated': '调解终止',
  'case_status.archived': '已归档',
};

const en = {
  'app.name': 'Accord',
  'app.tagline': 'Online people’s mediation',
  'nav.skip': 'Skip to main content',
  'lang.switch': '中文',

  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.back_home': 'Back to the home page',
  'common.list_separator': ', ',

  'form.all_required': 'All fields are required.',
  'form.required': 'This field is required.',
  'form.invalid': 'Please check this field.',
  'form.fix_errors': 'Please correct the fields marked below.',
  'form.show_password': 'Show password',

  'time.seconds_one': '{n} second',
  'time.seconds_other': '{n} seconds',
  'time.minutes_one': '{n} minute',
  'time.minutes_other': '{n} minutes',
  'time.hours_one': '{n} hour',
  'time.hours_other': '{n} hours',

  'error.generic': 'Something went wrong. Please try again later.',
  'error.network': 'Could not reach the server. Please check your connection and try again.',
  'error.server': 'The server has a problem at the moment. Please try again later.',
  'error.too_many_attempts': 'Too many attempts. Please wait {duration} and try again.',
  'error.too_many_attempts_unknown': 'Too many attempts. Please wait a little while and try again.',
  'error.invalid_credentials': 'Wrong username or password.',
  'error.session_ended': 'Your session has ended. Please log in again.',

  'index.title': 'Accord — online people’s mediation',
  'index.heading': 'Accord: online people’s mediation',
  'index.intro': 'Accord is an online mediation service for people’s mediation committees: mediators and the parties to a dispute can talk, mediate and reach an agreement here, without having to travel.',
  'index.parties_heading': 'Are you a party to a dispute?',
  'index.parties': 'Open the invitation link your mediator sent you to take part in the mediation.',
  'index.staff_heading': 'Are you a mediator or staff member?',
  'index.staff_login': 'Staff login',

  'login.title': 'Staff login — Accord',
  'login.heading': 'Staff login',
  'login.intro': 'For mediators and mediation committee administrators.',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.submitting': 'Logging in…',
  'login.success': 'Logged in. Opening your console…',
  'login.forgot': 'Forgot your password? Please contact your committee’s administrator.',

  'setup.title': 'First-run setup — Accord',
  'setup.heading': 'First-run setup',
  'setup.intro': 'Create your mediation committee and its first administrator account. Mediator accounts can be added afterwards.',
  'setup.committee_legend': 'Mediation committee',
  'setup.committee_name': 'Committee name',
  'setup.committee_name_hint': 'The full name, for example: 某某街道人民调解委员会.',
  'setup.committee_kind': 'Kind of committee',
  'setup.committee_kind_choose': 'Choose…',
  'setup.region': 'Region',
  'setup.region_hint': 'For example: 北京市朝阳区',
  'setup.admin_legend': 'Administrator account',
  'setup.admin_intro': 'The administrator manages the committee’s staff accounts.',
  'setup.username': 'Username',
  'setup.username_hint': 'Used to log in.',
  'setup.display_name': 'Display name',
  'setup.display_name_hint': 'The name colleagues and parties see, for example: 王丽.',
  'setup.password': 'Password',
  'setup.password_hint': 'At least 12 characters.',
  'setup.password_confirm': 'Confirm password',
  'setup.submit': 'Create committee and administrator',
  'setup.submitting': 'Creating…',
  'setup.success': 'Setup complete. Opening your console…',
  'setup.password_too_short': 'The password must have at least 12 characters.',
  'setup.password_mismatch': 'The two passwords do not match.',
  'setup.username_rejected': 'This username cannot be used. Please choose another one (letters and digits are safest).',
  'setup.password_rejected': 'This password cannot be used. Please choose another one with at least 12 characters.',
  'setup.invalid_heading': 'This setup link is invalid or has already been used',
  'setup.invalid_body': 'A setup link works only once. If your committee has already been set up, please log in instead.',
  'setup.invalid_new_link': 'To get a new setup link, ask whoever runs the server: when the server is restarted on an empty database it prints a new setup link, or they can use the “accord admin” command on the server.',
  'setup.go_login': 'Go to login',

  'committee_kind.street_town': 'Street or township committee (街道/乡镇)',
  'committee_kind.village_community': 'Village or community committee (村/社区)',
  'committee_kind.industry_professional': 'Industry or professional committee (行业性/专业性)',
  'committee_kind.court_annexed': 'Court-annexed committee (驻法院)',

  'console.title': 'Console — Accord',
  'console.greeting': 'Hello, {name}',
  'console.user_meta': '{role} · {committee}',
  'console.logout': 'Log out',
  'console.logging_out': 'Logging out…',
  'console.cases_heading': 'Cases',
  'console.cases_loading': 'Loading cases…',
  'console.cases_error': 'Could not load the list of cases.',
  'console.no_cases': 'No cases yet.',
  'console.case_count_one': '{n} case',
  'console.case_count_other': '{n} cases',
  'console.case_dispute_type': 'Dispute type',
  'console.case_status': 'Status',
  'console.case_created': 'Registered',
  'console.logout_failed': 'Could not log out. Please try again.',
  'console.open_session': 'Open session',

  'staff_role.admin': 'Administrator',
  'staff_role.mediator': 'Mediator',

  'join.title': 'Mediation invitation — Accord',
  'join.heading': 'Mediation invitation',
  'join.checking': 'Checking your invitation…',
  'join.invited': 'You are invited by {committee} to the mediation of case {number} ({dispute_type}).',
  'join.your_name': 'Your name',
  'join.your_role': 'Your role',
  'join.role_side': '{role} ({side})',
  'join.mediators_one': 'Mediator',
  'join.mediators_other': 'Mediators',
  'join.keep_private': 'Your invitation link is personal. Please do not share it with anyone.',
  'join.error_heading': 'The invitation cannot be opened',
  'join.invitation_invalid': 'This invitation link is not valid. Please check that you opened the complete link, or ask the mediator for a new one.',
  'join.invitation_expired': 'This invitation link has expired. Please ask the mediator for a new link.',
  'join.invitation_used': 'This invitation link has already been used. If you need to join on another device, or it was not you who used it, please ask the mediator for a new link.',
  'join.invitation_revoked': 'This invitation link has been withdrawn. Please ask the mediator for a new link.',
  'join.no_token': 'To take part in a mediation, open the invitation link your mediator sent you. If you cannot find it, please ask the mediator for a new link.',
  'join.staff_session': 'You are logged in as staff. This page is for people invited to a mediation.',
  'join.go_console': 'Go to the console',

  'session.title': 'Mediation session — Accord',
  'session.case_heading': 'Case {number}',
  'session.title_short': 'Mediation session',
  'session.connecting': 'Connecting…',
  'session.signed_out': 'You are not signed in, or your sign-in has ended. Staff: please log in again. Parties: please open the invitation link from your mediator again.',
  'session.go_login': 'Staff login',
  'session.no_case': 'No case was chosen. Please choose “Open session” next to a case in your console.',
  'session.no_case_participant': 'Your case could not be found. Please open the invitation link from your mediator again.',
  'session.back_console': 'Back to the console',
  'session.back_invitation': 'Back to the invitation',
  'session.status_connecting': 'Connecting…',
  'session.status_reconnecting': 'Connection lost. Reconnecting…',
  'session.status_connected': 'Connected',
  'session.private_banner_title': 'Private room',
  'session.private_banner_text': 'Only the people in this room can see and hear you here, and read what you write.',
  'session.waiting_heading': 'Waiting room',
  'session.waiting_text': 'Please wait: the mediator will let you in.',
  'session.waiting_preview': 'Meanwhile, you can check that your camera and microphone work. Nobody can see or hear you yet.',
  'session.leave': 'Leave',
  'session.stage_heading': 'People in this room',
  'session.enable_sound': 'Turn on sound',
  'session.controls': 'Your microphone, camera and hand',
  'session.mic_mute': 'Mute microphone',
  'session.mic_unmute': 'Unmute microphone',
  'session.camera_off_action': 'Turn camera off',
  'session.camera_on_action': 'Turn camera on',
  'session.raise_hand': 'Raise hand',
  'session.lower_hand': 'Lower hand',
  'session.queue_heading': 'Waiting to come in',
  'session.queue_empty': 'Nobody is waiting.',
  'session.queue_notice_one': '{name} is waiting to come in',
  'session.queue_notice_other': '{n} people are waiting to come in',
  'session.admit': 'Admit',
  'session.deny': 'Deny',
  'session.deny_heading': 'Deny {name} entry',
  'session.deny_text': 'They will not be able to come into this session again.',
  'session.rooms_heading': 'Rooms',
  'session.joint_room': 'Joint room',
  'session.room_named': 'Private room: {name}',
  'session.room_unknown': 'Room',
  'session.room_empty': 'Nobody.',
  'session.room_name_label': 'Name of a new private room',
  'session.room_name_invalid': 'Please give a name of 1 to 40 characters.',
  'session.create_room': 'Create private room',
  'session.move_label': 'Move {name} to',
  'session.mute_member': 'Mute their microphone',
  'session.remove': 'Remove',
  'session.remove_heading': 'Remove {name} from the session',
  'session.remove_text': 'They will not be able to come into this session again.',
  'session.return_all': 'Everyone back to the joint room',
  'session.lock': 'Lock the session',
  'session.unlock': 'Unlock the session',
  'session.lock_hint': 'While it is locked, nobody new can knock; who is waiting or inside stays.',
  'session.bye_locked': 'The mediator has locked this session for now and is not letting anyone new knock. Open your link again a little later, or contact the mediator.',
  'session.ended_heading_locked': 'The session is locked for now',
  'session.end': 'End the session',
  'session.end_heading': 'End this session?',
  'session.end_text': 'Everyone will leave the session.',
  'session.reason_label': 'Reason',
  'session.reason_hint': 'The person will see this reason.',
  'session.reason_required': 'Please give a reason.',
  'session.cancel': 'Cancel',
  'session.people_heading': 'In this room',
  'session.you': 'You',
  'session.you_label': 'You · {role}',
  'session.role_mediator': 'Mediator',
  'session.role_side': '{role} ({side})',
  'session.role_unknown': 'Participant',
  'session.flag_hand': 'Hand raised',
  'session.flag_mic_off': 'Microphone off',
  'session.flag_camera_off': 'Camera off',
  'session.flag_disconnected': 'Connection lost',
  'session.camera_off': 'Camera off',
  'session.no_media_yet': 'Connecting the picture…',
  'session.no_local_media': 'No camera picture',
  'session.chat_heading': 'Chat in this room',
  'session.chat_label': 'Message',
  'session.chat_placeholder': 'Write a message',
  'session.chat_send': 'Send',
  'session.chat_you': 'Me',
  'session.chat_failed': 'The message was not sent. Please try again.',
  'session.chat_moved': 'You are now in: {room}. Messages here are seen only by the people in this room.',
  'session.media_denied': 'The camera and microphone cannot be used: the browser was not given permission. Please allow them in the address bar and reload this page.',
  'session.media_unavailable': 'No camera or microphone was found. You can still see and hear the others.',
  'session.media_unsupported': 'This browser cannot make video calls. Please use a recent Chrome, Edge, Firefox or Safari.',
  'session.media_failed': 'The audio and video connection could not be set up. Please try again later or reload this page.',
  'session.muted_mic_by_mediator': 'The mediator muted your microphone. You can unmute it yourself when you want to speak.',
  'session.muted_camera_by_mediator': 'The mediator turned your camera off. You can turn it on again yourself.',
  'session.action_failed': 'That did not work. Please try again.',
  'session.error_not_a_mediator': 'Only a mediator can do this.',
  'session.error_not_admitted': 'You are not in the session yet.',
  'session.error_unknown_member': 'This person is no longer in the session.',
  'session.error_not_waiting': 'This person is no longer waiting.',
  'session.error_unknown_room': 'This room no longer exists.',
  'session.error_mediator_protected': 'This cannot be done to a mediator.',
  'session.error_too_many_rooms': 'The session has as many rooms as it can hold.',
  'session.error_rate_limited': 'Too many actions at once. Please wait a moment.',
  'session.error_disconnected': 'The connection was lost. Please try again once it is back.',
  'session.ended_heading': 'You have left the session',
  'session.ended_heading_refused': 'You were not let in',
  'session.ended_heading_removed': 'You were removed from the session',
  'session.ended_heading_ended': 'The session has ended',
  'session.ended_heading_replaced': 'This page is no longer connected',
  'session.refused_heading': 'The session cannot be joined',
  'session.bye_denied': 'The mediator did not let you into this session. If you have questions, please contact the mediator.',
  'session.bye_removed': 'The mediator removed you from this session. If you have questions, please contact the mediator.',
  'session.bye_ended': 'The mediator has ended this session. Thank you for taking part.',
  'session.bye_left': 'To come back while the session is still on, open the session page again.',
  'session.bye_replaced': 'You joined the session in another window or on another device, so this page was disconnected.',
  'session.bye_reason': 'The mediator’s reason: {reason}',
  'session.refused_unauthenticated': 'You are not signed in, or your sign-in has ended. Staff: please log in again. Parties: please open your invitation link again.',
  'session.refused_forbidden': 'You cannot join the session of this case.',
  'session.refused_not_found': 'This case could not be found.',
  'session.refused_not_in_mediation': 'This case has no session at the moment. A session can start once the case has been accepted.',
  'session.refused_generic': 'The session cannot be joined.',

  'participant_role.party': 'Party',
  'participant_role.agent': 'Agent (representative)',
  'participant_role.invited': 'Invited participant',
  'participant_role.observer': 'Observer',
  'participant_role.interpreter': 'Interpreter',

  'side.applicant': 'applicant',
  'side.respondent': 'respondent',

  'dispute_type.marriage_family': 'Marriage and family',
  'dispute_type.neighbour': 'Neighbours',
  'dispute_type.housing_homestead': 'Housing and homestead',
  'dispute_type.contract': 'Contract',
  'dispute_type.business': 'Production and business',
  'dispute_type.damages': 'Compensation for damage',
  'dispute_type.forest_land': 'Forest and land',
  'dispute_type.requisition_demolition': 'Land requisition and demolition',
  'dispute_type.pollution': 'Environmental pollution',
  'dispute_type.labour': 'Labour',
  'dispute_type.consumer': 'Consumer',
  'dispute_type.medical': 'Medical',
  'dispute_type.road_traffic': 'Road traffic',
  'dispute_type.property_management': 'Property management',
  'dispute_type.intellectual_property': 'Intellectual property',
  'dispute_type.internet': 'Internet',
  'dispute_type.other': 'Other',

  'case_status.registered': 'Registered',
  'case_status.accepted': 'Accepted',
  'case_status.refused': 'Not accepted',
  'case_status.in_mediation': 'In mediation',
  'case_status.agreed': 'Agreement reached',
  'case_status.effective': 'Agreement in effect',
  'case_status.terminated': 'Mediation ended',
  'case_status.archived': 'Archived',
};

// Each part of the client keeps its own strings in js/strings/; a key may be defined once only.
const parts = [
  agreementStrings,
  attendanceStrings,
  confirmationStrings,
  consoleStrings,
  dossierStrings,
  followUpStrings,
  partyStrings,
  recordStrings,
  statisticsStrings,
  supervisionStrings,
];

function merged(base, lang) {
  const out = { ...base };
  for (const part of parts) {
    for (const [key, value] of Object.entries(part[lang] || {})) {
      if (key in out) throw new Error(`i18n: the key ${key} is defined twice`);
      out[key] = value;
    }
  }
  return Object.freeze(out);
}

export const dictionaries = Object.freeze({ 'zh-CN': merged(zhCN, 'zh-CN'), en: merged(en, 'en') });

let current = DEFAULT_LANGUAGE;
const listeners = new Set();

/** Picks zh-CN or en from a list of BCP 47 tags (navigator.languages order). */
export function detectLanguage(preferred) {
  for (const tag of preferred || []) {
    const lower = String(tag).toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return DEFAULT_LANGUAGE;
}

export function getLanguage() {
  return current;
}

export function hasKey(key) {
  return Object.prototype.hasOwnProperty.call(dictionaries[current], key);
}

/**
 * Translates `key`. `{name}` placeholders are filled from `params`; a param
 * may itself be `{ key, params }`, which is translated first (see `plural`).
 * A missing key yields the key itself, so mistakes are visible but harmless.
 */
export function t(key, params) {
  const dict = dictionaries[current] || dictionaries[DEFAULT_LANGUAGE];
  let text = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
  if (text === undefined) {
    text = dictionaries[DEFAULT_LANGUAGE][key];
  }
  if (text === undefined) {
    if (typeof console !== 'undefined') console.warn(`i18n: missing key "${key}"`);
    return key;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) return match;
    const value = params[name];
    if (value && typeof value === 'object' && typeof value.key === 'string') {
      return t(value.key, value.params);
    }
    return String(value);
  });
}

/** `plural('time.seconds', 3)` → `{ key: 'time.seconds_other', params: { n: 3 } }`. */
export function plural(baseKey, n) {
  return { key: `${baseKey}_${n === 1 ? 'one' : 'other'}`, params: { n } };
}

/** Joins names with the language's list separator. */
export function formatList(items) {
  return items.join(t('common.list_separator'));
}

/** Formats an ISO date-time as a date in the current language, or '' if invalid. */
export function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(current, { year: 'numeric', month: 'long', day: 'numeric' }).format(date);
}

/**
 * Gives `el` translated text and remembers key and params on the element, so
 * that a later language switch translates it again.
 */
export function setI18n(el, key, params) {
  el.dataset.i18n = key;
  if (params) {
    el.dataset.i18nParams = JSON.stringify(params);
  } else {
    delete el.dataset.i18nParams;
  }
  el.textContent = t(key, params);
}

/** Removes text and remembered key from `el`. */
export function clearI18n(el) {
  delete el.dataset.i18n;
  delete el.dataset.i18nParams;
  el.textContent = '';
}

function readParams(el) {
  if (!el.dataset.i18nParams) return undefined;
  try {
    return JSON.parse(el.dataset.i18nParams);
  } catch {
    return undefined;
  }
}

/** Parses `data-i18n-attr="placeholder:key;aria-label:other.key"`. */
export function parseAttrSpec(spec) {
  return String(spec)
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      return { attr: part.slice(0, colon).trim(), key: part.slice(colon + 1).trim() };
    })
    .filter(({ attr, key }) => attr && key);
}

/** Translates every `data-i18n` and `data-i18n-attr` element under `root`. */
export function applyTranslations(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n, readParams(el));
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const { attr, key } of parseAttrSpec(el.dataset.i18nAttr)) {
      el.setAttribute(attr, t(key));
    }
  }
}

function otherLanguage(lang) {
  return lang === 'zh-CN' ? 'en' : 'zh-CN';
}

function readStoredLanguage() {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(stored) ? stored : null;
  } catch {
    return null;
  }
}

function storeLanguage(lang) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be disabled (private mode); the choice then lasts for this page only.
  }
}

/** Calls `fn(lang)` after every language change. Returns an unsubscribe function. */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Switches the page to `lang`: <html lang>, all marked elements, listeners. */
export function setLanguage(lang, { remember = false } = {}) {
  if (!LANGUAGES.includes(lang)) lang = DEFAULT_LANGUAGE;
  current = lang;
  if (remember) storeLanguage(lang);
  const html = document.documentElement;
  html.lang = lang;
  applyTranslations(document);
  for (const button of document.querySelectorAll('[data-lang-switch]')) {
    // The button names the language it switches to, in that language.
    button.lang = otherLanguage(lang);
  }
  for (const fn of listeners) fn(lang);
  html.classList.add('i18n-ready');
}

/** Picks the language (stored choice, else the browser's), translates the page, wires the switch. */
export function initI18n() {
  const lang = readStoredLanguage() || detectLanguage(navigator.languages || [navigator.language]);
  for (const button of document.querySelectorAll('[data-lang-switch]')) {
    button.addEventListener('click', () => setLanguage(otherLanguage(current), { remember: true }));
  }
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY && LANGUAGES.includes(event.newValue) && event.newValue !== current) {
      setLanguage(event.newValue);
    }
  });
  setLanguage(lang);
}
