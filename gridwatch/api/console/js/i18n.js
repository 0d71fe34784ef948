// UI text: Chinese first, English by the toggle (remembered in localStorage).
// One entry a text: [Chinese, English].
const PAIRS = {
  title: ["网格化视频巡查 · 指挥大厅", "gridwatch · Command hall"],
  "nav.wall": ["告警墙", "Alert wall"],
  "nav.cameras": ["摄像机", "Cameras"],
  logout: ["退出", "Log out"],
  "login.title": ["指挥大厅登录", "Command hall sign-in"],
  "login.user": ["用户名", "User name"],
  "login.password": ["密码", "Password"],
  "login.submit": ["登录", "Sign in"],
  "login.failed": ["用户名或密码错误", "Wrong user name or password"],
  "wall.title": ["实时告警", "Live alerts"],
  "wall.empty": ["暂无告警，系统正在巡查……", "No alerts yet; watching…"],
  "wall.count": ["条告警", "alerts"],
  "wall.keys": ["快捷键：J/K 选择 · C 确认 · R 驳回 · D 派遣", "Keys: J/K select · C confirm · R reject · D dispatch"],
  confirm: ["确认", "Confirm"],
  reject: ["驳回", "Reject"],
  dispatch: ["派遣", "Dispatch"],
  cancel: ["取消", "Cancel"],
  "reject.reason": ["驳回原因", "Reason"],
  "reject.prompt": ["请输入驳回原因（如：误报、重复、已处置）", "Why is it rejected (false alarm, duplicate, handled)?"],
  "status.new": ["待核实", "New"],
  "status.confirmed": ["已确认", "Confirmed"],
  "status.rejected": ["已驳回", "Rejected"],
  "status.merged": ["已合并", "Merged"],
  "status.dispatched": ["已派遣", "Dispatched"],
  "level.red": ["红色", "Red"],
  "level.orange": ["橙色", "Orange"],
  "level.yellow": ["黄色", "Yellow"],
  "level.blue": ["蓝色", "Blue"],
  "feed.live": ["实时连接", "Live"],
  "feed.down": ["连接中断，重连中", "Reconnecting"],
  conflict: ["其他人已处理该告警", "Someone else already handled this alert"],
  "cams.title": ["摄像机", "Cameras"],
  "cams.street": ["街道", "Street"],
  "cams.all": ["全部", "All"],
  "health.online": ["在线", "Online"],
  "health.offline": ["离线", "Offline"],
  "health.frozen": ["画面冻结", "Frozen"],
  "health.tampered": ["遮挡", "Tampered"],
  "health.moved": ["移位", "Moved"],
  "health.unknown": ["未知", "Unknown"],
  "cam.zones": ["检测区域", "Zones"],
  "cam.live": ["实时视频", "Live view"],
  "cam.startLive": ["打开实时视频", "Start live view"],
  "cam.stopLive": ["关闭", "Stop"],
  "zone.new": ["新建区域", "New zone"],
  "zone.delete": ["删除区域", "Delete zone"],
  "zone.save": ["保存", "Save"],
  "zone.name": ["区域名称", "Zone name"],
  "zone.saved": ["已保存", "Saved"],
  "zone.hint": ["在画面上单击添加顶点，单击第一个顶点或按 Enter 闭合；拖动顶点可调整。", "Click on the picture to add points; click the first point or press Enter to close; drag points to move them."],
  "zone.incidents": ["监测事件", "Incidents"],
  "zone.readonly": ["只有管理员可以编辑区域", "Only admins can edit zones"],
  "rule.min_seconds": ["持续(秒)", "Persist (s)"],
  "rule.clear_seconds": ["消失(秒)", "Clear (s)"],
  "rule.min_confidence": ["置信度", "Confidence"],
  "rule.min_ratio": ["占比", "Ratio"],
  zones: ["区域", "zones"],
  confidence: ["置信度", "Confidence"],
  department: ["责任单位", "Department"],
  "snapshot.failed": ["无法获取画面", "No picture from the camera"],
  "nav.cases": ["案件", "Cases"],
  "nav.escalations": ["预警升级", "Escalations"],
  "status.handled": ["已处置", "Handled"],
  "status.verified": ["已核查", "Verified"],
  "status.closed": ["已结案", "Closed"],
  "status.reopened": ["已重派", "Reopened"],
  "case.title": ["案件", "Cases"],
  "case.count": ["件", "cases"],
  "case.id": ["案件号", "Case"],
  "case.level": ["等级", "Level"],
  "case.incident": ["事件", "Incident"],
  "case.status": ["状态", "Status"],
  "case.opened": ["立案时间", "Opened"],
  "case.due": ["处置时限", "Due"],
  "case.evidence": ["证据", "Evidence"],
  "case.overdue": ["仅超期", "Overdue only"],
  "case.handled": ["报处置", "Mark handled"],
  "case.verify": ["核查通过", "Verify"],
  "case.reopen": ["退回重办", "Reopen"],
  "case.close": ["结案", "Close"],
  "case.export": ["导出本月统计 (CSV)", "This month's statistics (CSV)"],
  "reopen.prompt": ["请输入退回原因", "What is still wrong?"],
  "esc.title": ["预警升级", "Escalations"],
  "esc.count": ["条升级", "escalations"],
  "esc.at": ["时间", "At"],
  "esc.trigger": ["原因", "Why"],
  "esc.raised": ["高等级告警", "High-level alert"],
  "esc.unconfirmed": ["超时未核实", "Not verified in time"],
  "esc.undispatched": ["超时未派遣", "Not dispatched in time"],
  "esc.overdue": ["超期未处置", "Overdue"],
  "esc.recurrence": ["同一地点复发", "Recurred at the same place"],
  "esc.reopened": ["核查未通过", "Verification failed"],
};
const column = (i) => Object.fromEntries(Object.entries(PAIRS).map(([key, texts]) => [key, texts[i]]));
const TEXT = { zh: column(0), en: column(1) };

let lang = localStorage.getItem("gw-lang") === "en" ? "en" : "zh";

export function t(key) {
  return TEXT[lang][key] ?? TEXT.zh[key] ?? key;
}

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = next;
  localStorage.setItem("gw-lang", next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  applyStatic(document);
}

export function applyStatic(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
}
