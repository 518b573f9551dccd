<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BoardWidget</name>
    <message>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>进</source>
        <translation>In</translation>
    </message>
    <message>
        <source>出</source>
        <translation>Out</translation>
    </message>
    <message>
        <source>发热</source>
        <translation>Fever</translation>
    </message>
    <message>
        <source>拒绝</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>需注意</source>
        <translation>Flagged</translation>
    </message>
    <message>
        <source>访客在内</source>
        <translation>Visitors in</translation>
    </message>
    <message>
        <source>外出未归</source>
        <translation>Out now</translation>
    </message>
    <message>
        <source>已外出 时:分</source>
        <translation>out for h:mm</translation>
    </message>
    <message>
        <source>最近 20 条</source>
        <translation>Last 20 passages</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>方向</source>
        <translation>Direction</translation>
    </message>
    <message>
        <source>户号 姓名</source>
        <translation>Room, name</translation>
    </message>
    <message>
        <source>体温</source>
        <translation>Temp.</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>外出未归 {n} 人</source>
        <translation>Out now: {n}</translation>
    </message>
    <message>
        <source>（超时 {m} 人）</source>
        <translation> ({m} overdue)</translation>
    </message>
    <message>
        <source>（未知卡）</source>
        <translation>(unknown card)</translation>
    </message>
    <message>
        <source>手动·</source>
        <translation>manual·</translation>
    </message>
    <message>
        <source>…另 {n} 人</source>
        <translation>… and {n} more</translation>
    </message>
    <message>
        <source>通行</source>
        <translation>Allowed</translation>
    </message>
    <message>
        <source>注意</source>
        <translation>Flagged</translation>
    </message>
</context>
<context>
    <name>ClosePanel</name>
    <message>
        <source>退出门岗通？</source>
        <translation>Quit Checkpoint?</translation>
    </message>
    <message>
        <source>退出后本门岗不再登记出入。确认退出请输入值班员 PIN 或管理员密码，然后按“确认退出”。按 Esc 返回。</source>
        <translation>Once closed, this gate records nothing. To quit, type a guard&apos;s PIN or an admin&apos;s password and press “Quit now”. Esc goes back.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>PIN/密码</source>
        <translation>PIN/password</translation>
    </message>
    <message>
        <source>确认退出</source>
        <translation>Quit now</translation>
    </message>
    <message>
        <source>返回 (Esc)</source>
        <translation>Back (Esc)</translation>
    </message>
</context>
<context>
    <name>GatePage</name>
    <message>
        <source>F2 访客登记</source>
        <translation>F2 Visitor in</translation>
    </message>
    <message>
        <source>F3 无卡住户</source>
        <translation>F3 No card</translation>
    </message>
    <message>
        <source>F4 访客离开</source>
        <translation>F4 Visitor out</translation>
    </message>
    <message>
        <source>F9 交接班</source>
        <translation>F9 Handover</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>时钟无误（记录在案）</source>
        <translation>The clock is right (recorded)</translation>
    </message>
    <message>
        <source>请值班员签到</source>
        <translation>Guard, please sign on</translation>
    </message>
    <message>
        <source>签到后即可扫码登记；签到前扫的码会保留，签到后处理。</source>
        <translation>Sign on to start. Passes scanned before that are kept and handled after sign-on.</translation>
    </message>
    <message>
        <source>请扫码</source>
        <translation>SCAN A PASS</translation>
    </message>
    <message>
        <source>值班：{name}</source>
        <translation>On duty: {name}</translation>
    </message>
    <message>
        <source>出示出入证二维码；无卡住户按 F3，访客按 F2。</source>
        <translation>Show the pass QR code. No card: F3. Visitor: F2.</translation>
    </message>
    <message>
        <source>请重新扫码</source>
        <translation>SCAN AGAIN</translation>
    </message>
    <message>
        <source>已忽略</source>
        <translation>IGNORED</translation>
    </message>
    <message>
        <source>请测温</source>
        <translation>TAKE TEMPERATURE</translation>
    </message>
    <message>
        <source>输入体温，按回车登记。</source>
        <translation>Type the temperature; Enter records it.</translation>
    </message>
    <message>
        <source>发热，请复测</source>
        <translation>FEVER: measure again</translation>
    </message>
    <message>
        <source>通行</source>
        <translation>ALLOWED</translation>
    </message>
    <message>
        <source>注意</source>
        <translation>FLAGGED</translation>
    </message>
    <message>
        <source>禁止通行</source>
        <translation>DENIED</translation>
    </message>
    <message>
        <source>（无效卡）</source>
        <translation>(invalid card)</translation>
    </message>
    <message>
        <source>（手动）</source>
        <translation>(manual)</translation>
    </message>
    <message>
        <source>已登记 {time}</source>
        <translation>Recorded at {time}</translation>
    </message>
    <message>
        <source>已取消</source>
        <translation>CANCELLED</translation>
    </message>
    <message>
        <source>未登记本次通行。</source>
        <translation>This passage was not recorded.</translation>
    </message>
    <message>
        <source>访客通行</source>
        <translation>VISITOR ALLOWED</translation>
    </message>
    <message>
        <source>访客注意</source>
        <translation>VISITOR: CHECK</translation>
    </message>
    <message>
        <source>访客禁止进入</source>
        <translation>VISITOR DENIED</translation>
    </message>
    <message>
        <source>访客离开</source>
        <translation>Visitor left</translation>
    </message>
    <message>
        <source>已登记离开。</source>
        <translation>Exit recorded.</translation>
    </message>
    <message>
        <source>交接班完成</source>
        <translation>Handed over</translation>
    </message>
    <message>
        <source>交接班已记录。</source>
        <translation>The handover is recorded.</translation>
    </message>
</context>
<context>
    <name>HandoverPanel</name>
    <message>
        <source>交接班（F9）</source>
        <translation>Shift handover (F9)</translation>
    </message>
    <message>
        <source>交班备注（设备、待跟进事项）</source>
        <translation>Notes (equipment, things to follow up)</translation>
    </message>
    <message>
        <source>接班人</source>
        <translation>Next guard</translation>
    </message>
    <message>
        <source>接班人 PIN</source>
        <translation>Their PIN</translation>
    </message>
    <message>
        <source>交班，接班人签到</source>
        <translation>Hand over; next guard signs on</translation>
    </message>
    <message>
        <source>返回 (Esc)</source>
        <translation>Back (Esc)</translation>
    </message>
    <message>
        <source>本班 {start} 起：进 {i}&#x3000;出 {o}&#x3000;需注意 {f}&#x3000;拒绝 {d}&#x3000;发热 {t}&#x3000;访客 {v}</source>
        <translation>This shift since {start}: in {i} · out {o} · flagged {f} · refused {d} · fever {t} · visitors {v}</translation>
    </message>
    <message>
        <source>未结事件 {n} 件</source>
        <translation>Open alerts: {n}</translation>
    </message>
    <message>
        <source>交接班（F9）&#x3000;交班人：{name}</source>
        <translation>Shift handover (F9) — outgoing: {name}</translation>
    </message>
    <message>
        <source>住户发热</source>
        <translation>Resident fever</translation>
    </message>
    <message>
        <source>疑似伪造出入证</source>
        <translation>Possibly forged pass</translation>
    </message>
    <message>
        <source>外小区出入证</source>
        <translation>Pass of another compound</translation>
    </message>
    <message>
        <source>已作废的出入证</source>
        <translation>Revoked pass</translation>
    </message>
    <message>
        <source>旧版出入证</source>
        <translation>Replaced pass</translation>
    </message>
    <message>
        <source>过期出入证</source>
        <translation>Expired pass</translation>
    </message>
    <message>
        <source>未知出入证</source>
        <translation>Unknown pass</translation>
    </message>
    <message>
        <source>隔离人员欲外出</source>
        <translation>Quarantined resident going out</translation>
    </message>
    <message>
        <source>隔离人员进入</source>
        <translation>Quarantined resident coming in</translation>
    </message>
    <message>
        <source>重复进出（防回传）</source>
        <translation>Anti-passback</translation>
    </message>
    <message>
        <source>超出外出限额</source>
        <translation>Over the exit quota</translation>
    </message>
    <message>
        <source>超时返回后暂停外出</source>
        <translation>Exit suspended after a late return</translation>
    </message>
    <message>
        <source>已注销住户</source>
        <translation>Resident no longer registered</translation>
    </message>
    <message>
        <source>访客红码</source>
        <translation>Visitor: red code</translation>
    </message>
    <message>
        <source>访客黄码</source>
        <translation>Visitor: yellow code</translation>
    </message>
    <message>
        <source>访客发热</source>
        <translation>Visitor fever</translation>
    </message>
    <message>
        <source>访客在关注名单上</source>
        <translation>Visitor on the watch list</translation>
    </message>
    <message>
        <source>请填写接班人。</source>
        <translation>Name the next guard.</translation>
    </message>
    <message>
        <source>接班人不能是交班人本人。</source>
        <translation>The next guard cannot be the outgoing guard.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>门岗通</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <source>正在启动，可以扫码…</source>
        <translation>Starting — you can scan already…</translation>
    </message>
    <message>
        <source>无法打开</source>
        <translation>CANNOT OPEN</translation>
    </message>
    <message>
        <source>（未签到）</source>
        <translation>(nobody signed on)</translation>
    </message>
    <message>
        <source>值班：{name}</source>
        <translation>On duty: {name}</translation>
    </message>
    <message>
        <source>门岗通 {version} — {site} · {gate} — 值班：{name}</source>
        <translation>Checkpoint {version} — {site} · {gate} — on duty: {name}</translation>
    </message>
    <message>
        <source>星期一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <source>星期二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <source>星期三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <source>星期四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <source>星期五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <source>星期六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <source>星期日</source>
        <translation>Sun</translation>
    </message>
</context>
<context>
    <name>ManualEntryPanel</name>
    <message>
        <source>无卡住户登记（F3）</source>
        <translation>Resident without a card (F3)</translation>
    </message>
    <message>
        <source>输入户号（如 3-2-501）、姓名或拼音首字母（如 zsf），上下键选择，回车确认。</source>
        <translation>Type the room (3-2-501), a name or pinyin initials (zsf); arrows pick, Enter confirms.</translation>
    </message>
    <message>
        <source>户号 / 姓名 / 拼音首字母</source>
        <translation>Room / name / pinyin initials</translation>
    </message>
    <message>
        <source>登记所选住户（回车）</source>
        <translation>Record the selected resident (Enter)</translation>
    </message>
    <message>
        <source>返回 (Esc)</source>
        <translation>Back (Esc)</translation>
    </message>
    <message>
        <source>居家隔离</source>
        <translation>Home quarantine</translation>
    </message>
    <message>
        <source>健康观察</source>
        <translation>Under observation</translation>
    </message>
    <message>
        <source>没有找到“{text}”。</source>
        <translation>Nothing found for “{text}”.</translation>
    </message>
</context>
<context>
    <name>ScanPanel</name>
    <message>
        <source>请扫描出入证二维码</source>
        <translation>Scan a pass QR code</translation>
    </message>
    <message>
        <source>扫码后输入体温（如 365）按回车。
数字键盘 + 设为“进”，− 设为“出”。

F2 访客登记    F3 无卡住户
F4 访客离开    F9 交接班</source>
        <translation>After a scan, type the temperature (e.g. 365) and Enter.
Keypad + sets In, − sets Out.

F2 Visitor in    F3 No card
F4 Visitor out    F9 Handover</translation>
    </message>
    <message>
        <source>手动登记</source>
        <translation>Manual</translation>
    </message>
    <message>
        <source>方向</source>
        <translation>Direction</translation>
    </message>
    <message>
        <source>↓ 进</source>
        <translation>↓ In</translation>
    </message>
    <message>
        <source>↑ 出</source>
        <translation>↑ Out</translation>
    </message>
    <message>
        <source>（键盘 + 进 / − 出）</source>
        <translation>(keypad: + in, − out)</translation>
    </message>
    <message>
        <source>体温</source>
        <translation>Temp.</translation>
    </message>
    <message>
        <source>输入体温，按回车登记</source>
        <translation>Type the temperature, Enter records</translation>
    </message>
    <message>
        <source>出入证 No. {label}</source>
        <translation>Pass No. {label}</translation>
    </message>
    <message>
        <source>居家隔离</source>
        <translation>Home quarantine</translation>
    </message>
    <message>
        <source>健康观察</source>
        <translation>Under observation</translation>
    </message>
    <message>
        <source>复测</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>第一次 {t} °C，请复测后输入，按回车</source>
        <translation>First reading {t} °C: measure again, type it, Enter</translation>
    </message>
    <message>
        <source>后面还有 {n} 人已扫码等待</source>
        <translation>{n} more scanned and waiting</translation>
    </message>
</context>
<context>
    <name>SignOnPanel</name>
    <message>
        <source>值班员签到</source>
        <translation>Guard sign-on</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>签到（回车）</source>
        <translation>Sign on (Enter)</translation>
    </message>
    <message>
        <source>首次使用：创建值班员账号</source>
        <translation>First use: create your guard account</translation>
    </message>
    <message>
        <source>本门岗还没有任何用户。请输入您的姓名，并设置 4 到 8 位数字 PIN（输入两次）。这将创建第一个值班员账号，之后每班用它签到。管理员账号请在设置向导中创建。</source>
        <translation>This gate has no users yet. Type your name and choose a PIN of 4 to 8 digits (twice). This creates the first guard account; sign on with it at every shift. Admin accounts are made in the set-up wizard.</translation>
    </message>
    <message>
        <source>请选择或输入您的姓名，输入 PIN 后按回车。</source>
        <translation>Choose or type your name, type your PIN, press Enter.</translation>
    </message>
    <message>
        <source>已收到 {n} 次扫码，签到后立即处理</source>
        <translation>{n} scan(s) received; they are handled as soon as you sign on</translation>
    </message>
    <message>
        <source>两次输入的 PIN 不一致。</source>
        <translation>The two PINs do not match.</translation>
    </message>
</context>
<context>
    <name>VisitorFormPanel</name>
    <message>
        <source>访客登记（F2）</source>
        <translation>Visitor registration (F2)</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>身份证</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>体温</source>
        <translation>Temp.</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>来自</source>
        <translation>From</translation>
    </message>
    <message>
        <source>被访户</source>
        <translation>Visiting</translation>
    </message>
    <message>
        <source>18 位</source>
        <translation>18 characters</translation>
    </message>
    <message>
        <source>绿码</source>
        <translation>Green</translation>
    </message>
    <message>
        <source>黄码</source>
        <translation>Yellow</translation>
    </message>
    <message>
        <source>红码</source>
        <translation>Red</translation>
    </message>
    <message>
        <source>健康码</source>
        <translation>Health code</translation>
    </message>
    <message>
        <source>登记进入（Ctrl+回车）</source>
        <translation>Register entry (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>返回 (Esc)</source>
        <translation>Back (Esc)</translation>
    </message>
    <message>
        <source>访客必须测量体温。</source>
        <translation>A visitor&apos;s temperature must be taken.</translation>
    </message>
    <message>
        <source>请填写。</source>
        <translation>Required.</translation>
    </message>
    <message>
        <source>不能超过 {n} 个字。</source>
        <translation>At most {n} characters.</translation>
    </message>
    <message>
        <source>请填写被访住户的户号，如 3-2-501。</source>
        <translation>Give the host household, e.g. 3-2-501.</translation>
    </message>
    <message>
        <source>没有户号为 {label} 的住户。</source>
        <translation>There is no household {label}.</translation>
    </message>
    <message>
        <source>请选择健康码颜色。</source>
        <translation>Choose the health-code colour.</translation>
    </message>
</context>
<context>
    <name>VisitorsInsidePanel</name>
    <message>
        <source>在内访客（F4）</source>
        <translation>Visitors inside (F4)</translation>
    </message>
    <message>
        <source>上下键选择离开的访客，回车登记离开。</source>
        <translation>Pick the visitor who is leaving with the arrow keys; Enter records the exit.</translation>
    </message>
    <message>
        <source>进入时间</source>
        <translation>In at</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>被访户</source>
        <translation>Visiting</translation>
    </message>
    <message>
        <source>事由</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>登记离开（回车）</source>
        <translation>Record exit (Enter)</translation>
    </message>
    <message>
        <source>返回 (Esc)</source>
        <translation>Back (Esc)</translation>
    </message>
    <message>
        <source>在内访客 {n} 人（F4）</source>
        <translation>Visitors inside: {n} (F4)</translation>
    </message>
    <message>
        <source>（已清除）</source>
        <translation>(purged)</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>门岗通已在运行（数据目录 {dir}），已切换到已打开的窗口。</source>
        <translation>Checkpoint is already running for {dir}; its window was brought to the front.</translation>
    </message>
    <message>
        <source>请让管理员完成设置（checkpoint init），或用 checkpoint demo 生成演示数据。</source>
        <translation>Ask the admin to set the gate up (checkpoint init), or make demo data with checkpoint demo.</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>出错了，详情见日志：{path}</source>
        <translation>Something went wrong; details are in the log: {path}</translation>
    </message>
</context>
</TS>
