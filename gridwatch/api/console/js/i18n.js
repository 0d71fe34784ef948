// UI text: Chinese first, English by the toggle (remembered in localStorage).
const TEXT = {
  zh: {
    title: "网格化视频巡查 · 指挥大厅", "nav.wall": "告警墙", "nav.cameras": "摄像机", logout: "退出",
    "login.title": "指挥大厅登录", "login.user": "用户名", "login.password": "密码", "login.submit": "登录",
    "login.failed": "用户名或密码错误",
    "wall.title": "实时告警", "wall.empty": "暂无告警，系统正在巡查……", "wall.count": "条告警",
    "wall.keys": "快捷键：J/K 选择 · C 确认 · R 驳回 · D 派遣",
    confirm: "确认", reject: "驳回", dispatch: "派遣", cancel: "取消",
    "reject.reason": "驳回原因", "reject.prompt": "请输入驳回原因（如：误报、重复、已处置）",
    "status.new": "待核实", "status.confirmed": "已确认", "status.rejected": "已驳回",
    "status.merged": "已合并", "status.dispatched": "已派遣",
    "level.red": "红色", "level.orange": "橙色", "level.yellow": "黄色", "level.blue": "蓝色",
    "feed.live": "实时连接", "feed.down": "连接中断，重连中",
    conflict: "其他人已处理该告警", "cams.title": "摄像机", "cams.street": "街道", "cams.all": "全部",
    "health.online": "在线", "health.offline": "离线", "health.frozen": "画面冻结",
    "health.tampered": "遮挡", "health.moved": "移位", "health.unknown": "未知",
    "cam.zones": "检测区域", "cam.live": "实时视频", "cam.startLive": "打开实时视频", "cam.stopLive": "关闭",
    "zone.new": "新建区域", "zone.delete": "删除区域", "zone.save": "保存", "zone.name": "区域名称",
    "zone.saved": "已保存", "zone.hint": "在画面上单击添加顶点，单击第一个顶点或按 Enter 闭合；拖动顶点可调整。",
    "zone.incidents": "监测事件", "zone.readonly": "只有管理员可以编辑区域",
    "rule.min_seconds": "持续(秒)", "rule.clear_seconds": "消失(秒)", "rule.min_confidence": "置信度",
    "rule.min_ratio": "占比", zones: "区域", confidence: "置信度", department: "责任单位",
    "snapshot.failed": "无法获取画面",
    "nav.cases": "案件", "nav.escalations": "预警升级",
    "status.handled": "已处置", "status.verified": "已核查", "status.closed": "已结案", "status.reopened": "已重派",
    "case.title": "案件", "case.count": "件", "case.id": "案件号", "case.level": "等级", "case.incident": "事件",
    "case.status": "状态", "case.opened": "立案时间", "case.due": "处置时限", "case.evidence": "证据",
    "case.overdue": "仅超期", "case.handled": "报处置", "case.verify": "核查通过", "case.reopen": "退回重办",
    "case.close": "结案", "case.export": "导出本月统计 (CSV)", "reopen.prompt": "请输入退回原因",
    "esc.title": "预警升级", "esc.count": "条升级", "esc.at": "时间", "esc.trigger": "原因",
    "esc.raised": "高等级告警", "esc.unconfirmed": "超时未核实", "esc.undispatched": "超时未派遣",
    "esc.overdue": "超期未处置", "esc.recurrence": "同一地点复发", "esc.reopened": "核查未通过",
  },
  en: {
    title: "gridwatch · Command hall", "nav.wall": "Alert wall", "nav.cameras": "Cameras", logout: "Log out",
    "login.title": "Command hall sign-in", "login.user": "User name", "login.password": "Password",
    "login.submit": "Sign in", "login.failed": "Wrong user name or password",
    "wall.title": "Live alerts", "wall.empty": "No alerts yet; watching…", "wall.count": "alerts",
    "wall.keys": "Keys: J/K select · C confirm · R reject · D dispatch",
    confirm: "Confirm", reject: "Reject", dispatch: "Dispatch", cancel: "Cancel",
    "reject.reason": "Reason", "reject.prompt": "Why is it rejected (false alarm, duplicate, handled)?",
    "status.new": "New", "status.confirmed": "Confirmed", "status.rejected": "Rejected",
    "status.merged": "Merged", "status.dispatched": "Dispatched",
    "level.red": "Red", "level.orange": "Orange", "level.yellow": "Yellow", "level.blue": "Blue",
    "feed.live": "Live", "feed.down": "Reconnecting",
    conflict: "Someone else already handled this alert", "cams.title": "Cameras", "cams.street": "Street",
    "cams.all": "All", "health.online": "Online", "health.offline": "Offline", "health.frozen": "Frozen",
    "health.tampered": "Tampered", "health.moved": "Moved", "health.unknown": "Unknown",
    "cam.zones": "Zones", "cam.live": "Live view", "cam.startLive": "Start live view", "cam.stopLive": "Stop",
    "zone.new": "New zone", "zone.delete": "Delete zone", "zone.save": "Save", "zone.name": "Zone name",
    "zone.saved": "Saved", "zone.hint": "Click on the picture to add points; click the first point or press Enter to close; drag points to move them.",
    "zone.incidents": "Incidents", "zone.readonly": "Only admins can edit zones",
    "rule.min_seconds": "Persist (s)", "rule.clear_seconds": "Clear (s)", "rule.min_confidence": "Confidence",
    "rule.min_ratio": "Ratio", zones: "zones", confidence: "Confidence", department: "Department",
    "snapshot.failed": "No picture from the camera",
    "nav.cases": "Cases", "nav.escalations": "Escalations",
    "status.handled": "Handled", "status.verified": "Verified", "status.closed": "Closed", "status.reopened": "Reopened",
    "case.title": "Cases", "case.count": "cases", "case.id": "Case", "case.level": "Level", "case.incident": "Incident",
    "case.status": "Status", "case.opened": "Opened", "case.due": "Due", "case.evidence": "Evidence",
    "case.overdue": "Overdue only", "case.handled": "Mark handled", "case.verify": "Verify", "case.reopen": "Reopen",
    "case.close": "Close", "case.export": "This month's statistics (CSV)", "reopen.prompt": "What is still wrong?",
    "esc.title": "Escalations", "esc.count": "escalations", "esc.at": "At", "esc.trigger": "Why",
    "esc.raised": "High-level alert", "esc.unconfirmed": "Not verified in time", "esc.undispatched": "Not dispatched in time",
    "esc.overdue": "Overdue", "esc.recurrence": "Recurred at the same place", "esc.reopened": "Verification failed",
  },
};

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
