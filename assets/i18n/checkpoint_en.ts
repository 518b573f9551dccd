<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AddGuardPanel</name>
    <message>
        <source>添加值班员</source>
        <translation>Add a guard</translation>
    </message>
    <message>
        <source>每位值班员用自己的姓名和 4 到 8 位数字 PIN 签到，记录上写的是签到人的名字。</source>
        <translation>Each guard signs on with their own name and a 4 to 8 digit PIN; records carry the name of whoever signed on.</translation>
    </message>
    <message>
        <source>首次使用 3/3：值班员</source>
        <translation>First start 3/3: guards</translation>
    </message>
    <message>
        <source>管理员姓名</source>
        <translation>Admin name</translation>
    </message>
    <message>
        <source>管理员密码</source>
        <translation>Admin password</translation>
    </message>
    <message>
        <source>值班员姓名</source>
        <translation>Guard&apos;s name</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>4 到 8 位数字</source>
        <translation>4 to 8 digits</translation>
    </message>
    <message>
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>添加（回车）</source>
        <translation>Add (Enter)</translation>
    </message>
    <message>
        <source>返回 (Esc)</source>
        <translation>Back (Esc)</translation>
    </message>
    <message>
        <source>完成，去签到</source>
        <translation>Done: go to sign-on</translation>
    </message>
    <message>
        <source>两次输入的 PIN 不一致。</source>
        <translation>The two PINs do not match.</translation>
    </message>
    <message>
        <source>已添加值班员：{names}。</source>
        <translation>Guards added: {names}.</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>首次使用：创建管理员账号</source>
        <translation>First start: create the admin account</translation>
    </message>
    <message>
        <source>管理员负责添加值班员、设置 U 盘备份和恢复数据，不在门岗值班。密码至少 8 个字符，请输入两次并妥善保管：忘记后无法找回。</source>
        <translation>The admin adds guards, sets up the USB backup and restores data; the admin does not work shifts. The password needs at least 8 characters: type it twice and keep it safe — it cannot be recovered.</translation>
    </message>
    <message>
        <source>首次使用 2/3：管理员</source>
        <translation>First start 2/3: admin</translation>
    </message>
    <message>
        <source>管理员姓名</source>
        <translation>Admin name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>至少 8 个字符</source>
        <translation>at least 8 characters</translation>
    </message>
    <message>
        <source>再输一次</source>
        <translation>Again</translation>
    </message>
    <message>
        <source>创建管理员（回车）</source>
        <translation>Create the admin (Enter)</translation>
    </message>
    <message>
        <source>两次输入的密码不一致。</source>
        <translation>The two passwords differ.</translation>
    </message>
</context>
<context>
    <name>AuditDesk</name>
    <message>
        <source>门岗通 · 核验</source>
        <translation>Checkpoint · Verify</translation>
    </message>
    <message>
        <source>日志核验（审计）</source>
        <translation>Verifying logs (audit)</translation>
    </message>
</context>
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
        <translation>In/out</translation>
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
    <name>CameraPanel</name>
    <message>
        <source>摄像头扫码（F7）</source>
        <translation>Scan with the camera (F7)</translation>
    </message>
    <message>
        <source>把出入证二维码放进方框，离镜头约 20 厘米；读到后自动转到测温。</source>
        <translation>Hold the pass QR code inside the square, about 20 cm from the lens; once it is read the screen goes to the temperature.</translation>
    </message>
    <message>
        <source>关闭摄像头 (Esc)</source>
        <translation>Close the camera (Esc)</translation>
    </message>
    <message>
        <source>没有找到摄像头：请插好摄像头，或用扫码枪扫码。</source>
        <translation>No camera found: plug the camera in, or use the hand scanner.</translation>
    </message>
    <message>
        <source>摄像头：{name}</source>
        <translation>Camera: {name}</translation>
    </message>
    <message>
        <source>摄像头无法使用（{why}）：可能被其他程序占用或被系统禁止，请用扫码枪扫码。</source>
        <translation>The camera cannot be used ({why}): another program may be using it or Windows may block it. Use the hand scanner.</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>数据库检查</source>
        <translation>Database check</translation>
    </message>
    <message>
        <source>每次启动时，门岗只检查上次校验以来新增的记录。完整检查会读取整个数据库文件并重新计算每一条记录的哈希和链接，记录很多时需要几分钟；检查期间可以照常登记。</source>
        <translation>At every start the gate checks only the records added since the last check. The full check reads the whole database file and recomputes every record&apos;s hash and link; with many records it takes minutes. The gate can record as usual meanwhile.</translation>
    </message>
    <message>
        <source>开始完整检查</source>
        <translation>Start the full check</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>同步拒收的记录</source>
        <translation>Records refused by the sync</translation>
    </message>
    <message>
        <source>建立原有状态记录</source>
        <translation>Write the baseline</translation>
    </message>
    <message>
        <source>本小区建于状态记录之前：名单、出入证和用户还没有对应的记录，不会同步到其他门岗，也无法从记录重建。请在本机建立一次原有状态记录（命令行：checkpoint site baseline）。</source>
        <translation>This site was set up before state records: its roster, passes and users have no records yet, so they do not travel to the other gates and cannot be rebuilt from records. Write the baseline once on this PC (command line: checkpoint site baseline).</translation>
    </message>
    <message>
        <source>本小区建于状态记录之前：名单、出入证和用户还没有对应的记录。请在发放出入证的电脑（办公室）上运行一次 checkpoint site baseline，再交换一次数据。</source>
        <translation>This site was set up before state records: its roster, passes and users have no records yet. Run checkpoint site baseline once on the PC that issues passes (the office), then exchange once more.</translation>
    </message>
    <message>
        <source>正在建立原有状态记录…</source>
        <translation>Writing the baseline…</translation>
    </message>
    <message>
        <source>已建立 {n} 条原有状态记录。</source>
        <translation>Baseline written: {n} record(s).</translation>
    </message>
    <message>
        <source>其他门岗的这些记录到达时与本机已有的记录冲突（同一编号或序号、内容不同），未被采用，本机的记录也未被覆盖。通常说明该门岗的数据被改动过，或同一门岗的数据在两台电脑上各自继续记录（分叉）：请核查该门岗的电脑。</source>
        <translation>These records of other gates conflicted with records held here when they arrived (the same uid or number with other contents): they were refused, and nothing held here was overwritten. Usually the gate&apos;s data was altered, or one gate&apos;s data went on being recorded on two PCs (a fork): check that gate&apos;s PC.</translation>
    </message>
    <message>
        <source>没有被拒收的记录。</source>
        <translation>No record has been refused.</translation>
    </message>
    <message>
        <source>从未</source>
        <translation>never</translation>
    </message>
    <message>
        <source>上次校验（启动检查或完整检查）：{checked}
上次完整检查：{full}</source>
        <translation>Last verified (start-up or full check): {checked}
Last full check: {full}</translation>
    </message>
    <message>
        <source>正在检查…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>已重新计算 %v / %m 条记录</source>
        <translation>%v of %m records recomputed</translation>
    </message>
    <message>
        <source>数据库完整：{n} 条记录，{g} 个门岗的哈希链均有效。</source>
        <translation>The database is whole: {n} records; the hash chain of every gate ({g}) is valid.</translation>
    </message>
    <message>
        <source>检查已取消，数据库未改动。</source>
        <translation>Check cancelled; the database was not changed.</translation>
    </message>
</context>
<context>
    <name>ClockWarning</name>
    <message>
        <source>时钟无误（记录在案）</source>
        <translation>The clock is right (recorded)</translation>
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
    <name>CompanyPage</name>
    <message>
        <source>公司总览</source>
        <translation>Company overview</translation>
    </message>
    <message>
        <source>中心库密码（已保存可不填）</source>
        <translation>Hub password (optional if saved)</translation>
    </message>
    <message>
        <source>只用于这次读取，不保存；后台同步的密码在本机数据文件夹中另存。</source>
        <translation>Used for this reading only, never kept; the background sync&apos;s password is kept apart in this PC&apos;s data folder.</translation>
    </message>
    <message>
        <source>读取</source>
        <translation>Read</translation>
    </message>
    <message>
        <source>签名 PDF…</source>
        <translation>Signed PDF…</translation>
    </message>
    <message>
        <source>Excel…</source>
        <translation>Excel…</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>到</source>
        <translation>to</translation>
    </message>
    <message>
        <source>中心库：{url}</source>
        <translation>Hub: {url}</translation>
    </message>
    <message>
        <source>尚未设置中心库地址：请在“设置”中填写“中心库地址”。</source>
        <translation>No hub address yet: fill in “Hub address” under Settings.</translation>
    </message>
    <message>
        <source>正在读取中心库…</source>
        <translation>Reading the hub…</translation>
    </message>
    <message>
        <source>截至 {time}，{n} 行。</source>
        <translation>As of {time}, {n} rows. </translation>
    </message>
    <message>
        <source>{n} 个门岗未同步。</source>
        <translation>{n} gates not synced.</translation>
    </message>
    <message>
        <source>公司总览.pdf</source>
        <translation>company-overview.pdf</translation>
    </message>
    <message>
        <source>公司总览.xlsx</source>
        <translation>company-overview.xlsx</translation>
    </message>
    <message>
        <source>请先读取总览。</source>
        <translation>Read the overview first.</translation>
    </message>
    <message>
        <source>已写入 {file}</source>
        <translation>Written: {file}</translation>
    </message>
</context>
<context>
    <name>ExchangePage</name>
    <message>
        <source>同步 / 交换</source>
        <translation>Exchange</translation>
    </message>
    <message>
        <source>中心库</source>
        <translation>Hub</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>U 盘交换文件</source>
        <translation>USB exchange file</translation>
    </message>
    <message>
        <source>没有中心库时，用 U 盘在门岗和办公室之间交换记录：在一台电脑上导出新记录到 U 盘，再在另一台电脑上导入。每次导出只写入上次导出以来的新记录；U 盘丢失或文件损坏时，用“导出全部记录”再导出一次。同一文件导入两次不会重复。</source>
        <translation>Without a hub, records go between the gates and the office on a USB stick: export the new records to the stick on one PC, then import the file on another. Each export writes only what is new since the last one; if the stick is lost or the file damaged, use &quot;Export all records&quot; once. Importing a file twice adds nothing twice.</translation>
    </message>
    <message>
        <source>导出新记录…</source>
        <translation>Export new records…</translation>
    </message>
    <message>
        <source>导出全部记录…</source>
        <translation>Export all records…</translation>
    </message>
    <message>
        <source>写入本机的全部记录（U 盘丢失时用；对方已有的记录导入时不会重复）</source>
        <translation>Writes every record this PC holds (when a stick was lost; records the other PC has are not added twice)</translation>
    </message>
    <message>
        <source>导入文件…</source>
        <translation>Import files…</translation>
    </message>
    <message>
        <source>查看拒收的记录</source>
        <translation>Refused records</translation>
    </message>
    <message>
        <source>（您的角色只能查看。）</source>
        <translation> (Your role may only look.)</translation>
    </message>
    <message>
        <source>本机与中心库 {hub} 自动同步（间隔见“设置”页）。</source>
        <translation>This PC syncs with the hub {hub} by itself (how often: see Settings).</translation>
    </message>
    <message>
        <source>未设置中心库：本机不自动同步，请用下方的 U 盘交换文件。中心库地址在“设置”页填写。</source>
        <translation>No hub is set: this PC does not sync by itself; use the USB exchange file below. The hub address is set on the Settings page.</translation>
    </message>
    <message>
        <source>本机所收到的其他门岗的最新记录：</source>
        <translation>Newest record this PC holds from each other gate:</translation>
    </message>
    <message>
        <source>本机还没有其他门岗的记录。</source>
        <translation>This PC holds no records of other gates yet.</translation>
    </message>
    <message>
        <source>导出新记录到</source>
        <translation>Export the new records to</translation>
    </message>
    <message>
        <source>导出全部记录到</source>
        <translation>Export all records to</translation>
    </message>
    <message>
        <source>门岗通交换文件 (*.ckx);;所有文件 (*)</source>
        <translation>Checkpoint exchange files (*.ckx);;All files (*)</translation>
    </message>
    <message>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>选择要导入的交换文件</source>
        <translation>Choose the exchange files to import</translation>
    </message>
    <message>
        <source>正在导入 {n} 个文件…</source>
        <translation>Importing {n} files…</translation>
    </message>
    <message>
        <source>正在与中心库同步…</source>
        <translation>Syncing with the hub…</translation>
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
        <source>F7 摄像头扫码</source>
        <translation>F7 Camera scan</translation>
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
        <source>F6 事件跟进 {n}</source>
        <translation>F6 Incidents {n}</translation>
    </message>
    <message>
        <source>F6 事件跟进</source>
        <translation>F6 Incidents</translation>
    </message>
    <message>
        <source>已记录跟进</source>
        <translation>Follow-up recorded</translation>
    </message>
    <message>
        <source>事件已结案。</source>
        <translation>The incident is closed.</translation>
    </message>
    <message>
        <source>跟进情况已记录。</source>
        <translation>What was done is recorded.</translation>
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
        <translation>PIN</translation>
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
        <source>请填写接班人。</source>
        <translation>Name the next guard.</translation>
    </message>
    <message>
        <source>接班人不能是交班人本人。</source>
        <translation>The next guard cannot be the outgoing guard.</translation>
    </message>
    <message>
        <source>只有值班员可以接班：{name} 不是值班员。</source>
        <translation>Only a guard can take over the shift: {name} is not a guard.</translation>
    </message>
</context>
<context>
    <name>HealthPage</name>
    <message>
        <source>数据库已损坏：只读</source>
        <translation>Database damaged: read-only</translation>
    </message>
    <message>
        <source>数据库已损坏，无法打开</source>
        <translation>Database damaged: cannot be opened</translation>
    </message>
    <message>
        <source>记录与哈希不符：只读</source>
        <translation>Records do not match their hashes: read-only</translation>
    </message>
    <message>
        <source>数据库来自更新版本的程序</source>
        <translation>Database from a newer version of the app</translation>
    </message>
    <message>
        <source>数据库只读</source>
        <translation>Database is read-only</translation>
    </message>
    <message>
        <source>数据库被占用</source>
        <translation>Database is in use</translation>
    </message>
    <message>
        <source>找不到数据库</source>
        <translation>Database not found</translation>
    </message>
    <message>
        <source>数据库不可用</source>
        <translation>Database cannot be used</translation>
    </message>
    <message>
        <source>扫码已停用：本门岗现在不能登记出入。请在纸质台账上手工登记，</source>
        <translation>Scanning is off: this gate cannot record passages now. Record them on the paper log </translation>
    </message>
    <message>
        <source>恢复后补录。</source>
        <translation>and enter them after the restore.</translation>
    </message>
    <message>
        <source>并联系管理员。</source>
        <translation>and call the admin.</translation>
    </message>
    <message>
        <source>恢复最近的完好备份</source>
        <translation>Restore the newest good backup</translation>
    </message>
    <message>
        <source>备份 {file}
{when} 备份，含本门岗记录至第 {seq} 条。当前文件会保留在旁边，不会删除。</source>
        <translation>Backup {file}
taken {when}, holds this gate&apos;s records up to no. {seq}. The current file is kept aside, not deleted.</translation>
    </message>
    <message>
        <source>管理员姓名</source>
        <translation>Admin name</translation>
    </message>
    <message>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>没有可恢复的备份</source>
        <translation>No backup to restore</translation>
    </message>
    <message>
        <source>怎么办</source>
        <translation>What to do</translation>
    </message>
    <message>
        <source>恢复备份</source>
        <translation>Restore the backup</translation>
    </message>
    <message>
        <source>重新检查</source>
        <translation>Check again</translation>
    </message>
    <message>
        <source>设置新门岗</source>
        <translation>Set up a new gate</translation>
    </message>
    <message>
        <source>数据库无法读取，这里不能显示记录。

数据文件夹：{dir}</source>
        <translation>The database cannot be read: no records can be shown here.

Data folder: {dir}</translation>
    </message>
    <message>
        <source>请输入管理员姓名和密码。</source>
        <translation>Enter the admin&apos;s name and password.</translation>
    </message>
    <message>
        <source>正在检查并恢复备份，请稍候…</source>
        <translation>Checking and restoring the backup, please wait…</translation>
    </message>
    <message>
        <source>已收到 {n} 次扫码，均未登记：请在纸质台账上手工登记。</source>
        <translation>Scans received: {n}, none recorded: write them on the paper log.</translation>
    </message>
</context>
<context>
    <name>HomeDocuments</name>
    <message>
        <source>打印（PDF）</source>
        <translation>Print (PDF)</translation>
    </message>
    <message>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <source>正在生成…</source>
        <translation>Writing…</translation>
    </message>
    <message>
        <source>已保存：{path}</source>
        <translation>Saved: {path}</translation>
    </message>
</context>
<context>
    <name>HubSync</name>
    <message>
        <source>{ages}（U 盘交换）</source>
        <translation>{ages} (USB files)</translation>
    </message>
    <message>
        <source>{ages}（已同步 {time}）</source>
        <translation>{ages} (synced {time})</translation>
    </message>
    <message>
        <source>已同步 {time}</source>
        <translation>Synced {time}</translation>
    </message>
    <message>
        <source>{n} 条记录被拒收（{gates}），见“数据库检查”</source>
        <translation>{n} record(s) refused ({gates}), see Database check</translation>
    </message>
    <message>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <source>，上次同步 {time}</source>
        <translation>; last synced {time}</translation>
    </message>
    <message>
        <source>未能同步：{why}{since}</source>
        <translation>Could not sync: {why}{since}</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>楼栋</source>
        <translation>Building</translation>
    </message>
    <message>
        <source>单元</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>房号</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>隔离至</source>
        <translation>Quarantine until</translation>
    </message>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>变更</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>未变</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>未导入</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Why / what changes</translation>
    </message>
    <message>
        <source>导入名单</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <source>选择文件…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>选择或拖入 Excel（.xlsx）或 CSV 花名册。</source>
        <translation>Choose or drop an Excel (.xlsx) or CSV roster.</translation>
    </message>
    <message>
        <source>第 {n} 行</source>
        <translation>row {n}</translation>
    </message>
    <message>
        <source>工作表</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <source>表头在</source>
        <translation>Header in</translation>
    </message>
    <message>
        <source>显示</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>文件内容（前 30 行）</source>
        <translation>The file (first 30 rows)</translation>
    </message>
    <message>
        <source>预览（每一行）</source>
        <translation>Preview (every row)</translation>
    </message>
    <message>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>取消导入</source>
        <translation>Cancel import</translation>
    </message>
    <message>
        <source>导出未导入的行…</source>
        <translation>Export rejected rows…</translation>
    </message>
    <message>
        <source>选择花名册</source>
        <translation>Choose a roster</translation>
    </message>
    <message>
        <source>花名册 (*.xlsx *.xlsm *.csv *.txt *.xls)</source>
        <translation>Rosters (*.xlsx *.xlsm *.csv *.txt *.xls)</translation>
    </message>
    <message>
        <source>正在读取“{name}”…</source>
        <translation>Reading “{name}”…</translation>
    </message>
    <message>
        <source>编码：{encoding}</source>
        <translation>Encoding: {encoding}</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(skip)</translation>
    </message>
    <message>
        <source>正在核对每一行…</source>
        <translation>Checking every row…</translation>
    </message>
    <message>
        <source>名单中没有 {n} 位在住住户；有未导入的行时不能标记迁出</source>
        <translation>{n} residents are not in the file; they cannot be marked moved out while rows are rejected</translation>
    </message>
    <message>
        <source>把名单中没有的 {n} 位在住住户标记为迁出（出入证作废）</source>
        <translation>Mark the {n} residents not in the file as moved out (their passes are revoked)</translation>
    </message>
    <message>
        <source>核对完毕，尚未写入。确认无误后点“导入”。</source>
        <translation>Checked; nothing written yet. If all is right, click “Import”.</translation>
    </message>
    <message>
        <source>没有可以导入的行，请看“说明”一列。</source>
        <translation>No row can be imported; see the “Why” column.</translation>
    </message>
    <message>
        <source>全部 ({n})</source>
        <translation>All ({n})</translation>
    </message>
    <message>
        <source>共 {total} 行：新增 {new}，变更 {changed}，未变 {unchanged}，未导入 {rejected}</source>
        <translation>{total} rows: {new} new, {changed} changed, {unchanged} unchanged, {rejected} rejected</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>已导入：新增户 {households}，新增住户 {residents}，更新 {updated}，未变 {unchanged}，未导入 {rejected} 行。</source>
        <translation>Imported: {households} new households, {residents} new residents, {updated} updated, {unchanged} unchanged, {rejected} rows rejected.</translation>
    </message>
    <message>
        <source>{n} 位住户已标记为迁出。</source>
        <translation> {n} residents marked moved out.</translation>
    </message>
    <message>
        <source>可导出未导入的行，改正后再导入。</source>
        <translation> Export the rejected rows, correct them and import again.</translation>
    </message>
    <message>
        <source>已取消导入，名单保持原样。</source>
        <translation>Import cancelled; the roster is as it was.</translation>
    </message>
    <message>
        <source>-未导入</source>
        <translation>-rejected</translation>
    </message>
    <message>
        <source>导出未导入的行</source>
        <translation>Export rejected rows</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>已把 {n} 行未导入的行连同原因存到 {file}。</source>
        <translation>Saved {n} rejected rows with the reasons to {file}.</translation>
    </message>
</context>
<context>
    <name>IncidentsPanel</name>
    <message>
        <source>人员</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>未结事件（F6）</source>
        <translation>Open incidents (F6)</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>事件</source>
        <translation>Incident</translation>
    </message>
    <message>
        <source>跟进</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <source>没有未结事件。</source>
        <translation>No open incidents.</translation>
    </message>
    <message>
        <source>跟进情况</source>
        <translation>What was done</translation>
    </message>
    <message>
        <source>如：已通知社区医生，复测 36.8 °C</source>
        <translation>e.g. community doctor called, re-measured 36.8 °C</translation>
    </message>
    <message>
        <source>记录跟进（回车）</source>
        <translation>Follow up (Enter)</translation>
    </message>
    <message>
        <source>跟进并结案</source>
        <translation>Follow up and close</translation>
    </message>
    <message>
        <source>返回 (Esc)</source>
        <translation>Back (Esc)</translation>
    </message>
    <message>
        <source>未结事件 {n} 件（F6）</source>
        <translation>{n} open incidents (F6)</translation>
    </message>
    <message>
        <source>{n} 次</source>
        <translation>{n}×</translation>
    </message>
</context>
<context>
    <name>JoinPage</name>
    <message>
        <source>首次使用：加入已有小区</source>
        <translation>First start: join an existing site</translation>
    </message>
    <message>
        <source>在办公室或第一台门岗电脑上运行“checkpoint site export-join --gate 门岗名 --out JOIN.ckp”，把生成的加入文件拷到本机（如用 U 盘），并抄下同时显示的一次性加入码。本机将作为该门岗加入小区，住户、出入证和账号随文件带来；数据写入 {dir}。</source>
        <translation>On the office PC or the first gate PC, run “checkpoint site export-join --gate GATE --out JOIN.ckp”, copy the join file to this PC (e.g. on a USB stick) and note the one-time join code shown with it. This PC joins the site as that gate; residents, passes and accounts come with the file. Data goes to {dir}.</translation>
    </message>
    <message>
        <source>首次使用：加入小区</source>
        <translation>First start: join a site</translation>
    </message>
    <message>
        <source>加入文件</source>
        <translation>Join file</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>加入码</source>
        <translation>Join code</translation>
    </message>
    <message>
        <source>与加入文件一起显示，只显示一次</source>
        <translation>shown once, with the join file</translation>
    </message>
    <message>
        <source>加入（回车）</source>
        <translation>Join (Enter)</translation>
    </message>
    <message>
        <source>返回，新建小区</source>
        <translation>Back: new site</translation>
    </message>
    <message>
        <source>选择加入文件</source>
        <translation>Choose the join file</translation>
    </message>
    <message>
        <source>加入文件 (*.ckp);;所有文件 (*)</source>
        <translation>Join files (*.ckp);;All files (*)</translation>
    </message>
    <message>
        <source>请填写所有项目。</source>
        <translation>Fill in every field.</translation>
    </message>
    <message>
        <source>正在核对加入文件并建立本门岗…</source>
        <translation>Checking the join file and setting up this gate…</translation>
    </message>
</context>
<context>
    <name>LedgerPage</name>
    <message>
        <source>消毒台账</source>
        <translation>Disinfection ledger</translation>
    </message>
    <message>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>消毒计划</source>
        <translation>Plan</translation>
    </message>
    <message>
        <source>消毒剂目录</source>
        <translation>Agents</translation>
    </message>
    <message>
        <source>区域</source>
        <translation>Area</translation>
    </message>
    <message>
        <source>计划</source>
        <translation>Planned</translation>
    </message>
    <message>
        <source>已做</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>消毒剂</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>浓度</source>
        <translation>Conc.</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>分钟</source>
        <translation>Min</translation>
    </message>
    <message>
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>操作人</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>核查人</source>
        <translation>Checker</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>喷洒</source>
        <translation>spray</translation>
    </message>
    <message>
        <source>擦拭</source>
        <translation>wipe</translation>
    </message>
    <message>
        <source>喷雾</source>
        <translation>fog</translation>
    </message>
    <message>
        <source>核查人（可空）</source>
        <translation>Checker (optional)</translation>
    </message>
    <message>
        <source>完成时间 HH:MM（补录时填）</source>
        <translation>Done at HH:MM (late entry)</translation>
    </message>
    <message>
        <source>作用</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>核查</source>
        <translation>Checker</translation>
    </message>
    <message>
        <source>每日次数</source>
        <translation>Rounds a day</translation>
    </message>
    <message>
        <source>区域，如 1号楼大堂</source>
        <translation>Area, e.g. Lobby 1</translation>
    </message>
    <message>
        <source> 次/日</source>
        <translation> a day</translation>
    </message>
    <message>
        <source>保存计划</source>
        <translation>Save plan</translation>
    </message>
    <message>
        <source>计划的改动从现在起生效，之前的日子仍按当时的计划（改动作为记录保存）。设 0 次即不再计划。</source>
        <translation>A plan change applies from now on; earlier days keep the plan then in force (changes are kept as records). 0 rounds: no longer planned.</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>要求范围</source>
        <translation>Required range</translation>
    </message>
    <message>
        <source>别名</source>
        <translation>Aliases</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>下限</source>
        <translation>Low</translation>
    </message>
    <message>
        <source>上限</source>
        <translation>High</translation>
    </message>
    <message>
        <source>别名，用、分隔</source>
        <translation>Aliases, separated by 、</translation>
    </message>
    <message>
        <source>保存消毒剂</source>
        <translation>Save agent</translation>
    </message>
    <message>
        <source>默认目录按消毒技术规范；低于下限的消毒照常登记，但标为“剂量不足”；高于上限视为录入错误。</source>
        <translation>Defaults follow the disinfection guidance. A round below the range is recorded but flagged under-dosed; above it is taken for a typing error.</translation>
    </message>
    <message>
        <source>已完成</source>
        <translation>done</translation>
    </message>
    <message>
        <source>{time} 前</source>
        <translation>by {time}</translation>
    </message>
    <message>
        <source>超时 {time}</source>
        <translation>overdue {time}</translation>
    </message>
    <message>
        <source>计划外</source>
        <translation>unplanned</translation>
    </message>
    <message>
        <source>剂量不足</source>
        <translation>under-dosed</translation>
    </message>
    <message>
        <source>剂量不足：低于要求的 {range}</source>
        <translation>Under-dosed: below the required {range}</translation>
    </message>
    <message>
        <source>补录 {time}</source>
        <translation>late, done {time}</translation>
    </message>
    <message>
        <source>补录：{done} 完成，{at} 登记</source>
        <translation>Entered late: done {done}, recorded {at}</translation>
    </message>
    <message>
        <source>今日 {date}：计划 {planned} 次，已做 {done} 次</source>
        <translation>Today {date}: {planned} rounds planned, {done} done</translation>
    </message>
    <message>
        <source>，{n} 个区域超时</source>
        <translation>; areas overdue: {n}</translation>
    </message>
    <message>
        <source>已登记，但浓度 {conc} 低于{agent}要求的 {range}：剂量不足，请重新消毒。</source>
        <translation>Recorded, but {conc} is below the {range} {agent} needs: under-dosed, disinfect again.</translation>
    </message>
    <message>
        <source>已登记（补录：{done} 完成，{at} 登记）。</source>
        <translation>Recorded (entered late: done {done}, recorded {at}).</translation>
    </message>
    <message>
        <source>已登记：{area}。</source>
        <translation>Recorded: {area}.</translation>
    </message>
    <message>
        <source>计划已保存：{area} 每日 {n} 次，从现在起生效。</source>
        <translation>Plan saved: {area}, {n} rounds a day from now on.</translation>
    </message>
    <message>
        <source>消毒剂已保存：{name}。</source>
        <translation>Agent saved: {name}.</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>大写锁定已打开（Caps Lock）。</source>
        <translation>Caps Lock is on.</translation>
    </message>
    <message>
        <source>屏幕已锁定</source>
        <translation>SCREEN LOCKED</translation>
    </message>
    <message>
        <source>长时间无人操作，屏幕已自动锁定。值班员输入 PIN 解锁；换人值班请输入自己的姓名和 PIN。扫码不会丢失，解锁后立即处理。</source>
        <translation>Nobody used the screen for a while, so it locked itself. The guard on duty unlocks with their PIN; a new guard types their own name and PIN. Scans are not lost: they are handled right after unlocking.</translation>
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
        <source>解锁（回车）</source>
        <translation>Unlock (Enter)</translation>
    </message>
    <message>
        <source>值班：{name}</source>
        <translation>On duty: {name}</translation>
    </message>
    <message>
        <source>已收到 {n} 次扫码，解锁后立即处理</source>
        <translation>Scans received: {n}, handled right after unlocking</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <source>无法打开文件夹，日志在：{folder}</source>
        <translation>The folder cannot be opened here; the logs are in {folder}</translation>
    </message>
    <message>
        <source>日志报表</source>
        <translation>Logs and reports</translation>
    </message>
    <message>
        <source>每日日志</source>
        <translation>Daily logs</translation>
    </message>
    <message>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <source>生成</source>
        <translation>Make</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>本门岗</source>
        <translation>This gate</translation>
    </message>
    <message>
        <source>全小区（各门岗记录）</source>
        <translation>Whole compound</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>上一页</source>
        <translation>Previous</translation>
    </message>
    <message>
        <source>下一页</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>请至少选择一种日志。</source>
        <translation>Choose at least one log.</translation>
    </message>
    <message>
        <source>正在生成 {day} 的日志…</source>
        <translation>Making the logs of {day}…</translation>
    </message>
    <message>
        <source>已取消：未完成的日志没有保存。</source>
        <translation>Cancelled: the log being made was not kept.</translation>
    </message>
    <message>
        <source>已生成 {n} 份日志：{folder}</source>
        <translation>{n} logs made: {folder}</translation>
    </message>
    <message>
        <source>第 {page} / {pages} 页</source>
        <translation>Page {page} of {pages}</translation>
    </message>
    <message>
        <source>这一天的日志尚未生成。</source>
        <translation>This day&apos;s logs are not made yet.</translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>已送打印：{n} 页。</source>
        <translation>Sent to the printer: {n} pages.</translation>
    </message>
    <message>
        <source>这一天的日志尚未生成：请先点“生成”。</source>
        <translation>This day&apos;s logs are not made yet: click Make first.</translation>
    </message>
    <message>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>到</source>
        <translation>to</translation>
    </message>
    <message>
        <source>出入与访客（每日）</source>
        <translation>Passages and visitors</translation>
    </message>
    <message>
        <source>消毒：完成与计划（每日）</source>
        <translation>Rounds: done and planned</translation>
    </message>
    <message>
        <source>已导出：{file}</source>
        <translation>Exported: {file}</translation>
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
        <source>办公：{name}</source>
        <translation>Office: {name}</translation>
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
    <name>OfficeShell</name>
    <message>
        <source>住户</source>
        <translation>Residents</translation>
    </message>
    <message>
        <source>导入名单</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <source>出入证</source>
        <translation>Passes</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>用户</source>
        <translation>Users</translation>
    </message>
    <message>
        <source>返回人员</source>
        <translation>Returnees</translation>
    </message>
    <message>
        <source>上门测温</source>
        <translation>Door rounds</translation>
    </message>
    <message>
        <source>入户排查</source>
        <translation>Survey</translation>
    </message>
    <message>
        <source>记录查询</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>数据库检查</source>
        <translation>Database check</translation>
    </message>
    <message>
        <source>同步 / 交换</source>
        <translation>Exchange</translation>
    </message>
    <message>
        <source>消毒台账</source>
        <translation>Disinfection</translation>
    </message>
    <message>
        <source>日志报表</source>
        <translation>Logs</translation>
    </message>
    <message>
        <source>核验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <source>公司总览</source>
        <translation>Company overview</translation>
    </message>
    <message>
        <source>物业办公</source>
        <translation>Office</translation>
    </message>
    <message>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>门岗 (F12)</source>
        <translation>Gate (F12)</translation>
    </message>
    <message>
        <source>退出登录</source>
        <translation>Sign off</translation>
    </message>
    <message>
        <source>此角色暂无办公页面。</source>
        <translation>This role has no office pages yet.</translation>
    </message>
</context>
<context>
    <name>PassesPage</name>
    <message>
        <source>无法读取 {file}。</source>
        <translation>Cannot read {file}.</translation>
    </message>
    <message>
        <source>打印机无法开始打印。</source>
        <translation>The printer could not start printing.</translation>
    </message>
    <message>
        <source>出入证</source>
        <translation>Passes</translation>
    </message>
    <message>
        <source>补办（旧卡立即失效）</source>
        <translation>Re-issue (old card stops)</translation>
    </message>
    <message>
        <source>证号</source>
        <translation>Pass no.</translation>
    </message>
    <message>
        <source>筛选房号，如 3-2</source>
        <translation>Filter rooms, e.g. 3-2</translation>
    </message>
    <message>
        <source>为选中的户发证</source>
        <translation>Issue to the selected households</translation>
    </message>
    <message>
        <source>为全部无有效证者发证</source>
        <translation>Issue to everyone without a valid card</translation>
    </message>
    <message>
        <source>已有有效证的也换新卡</source>
        <translation>Also replace cards that are still valid</translation>
    </message>
    <message>
        <source>如 000123</source>
        <translation>e.g. 000123</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>作废原因（必填）</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Revoke</translation>
    </message>
    <message>
        <source>发证后，出入证版面显示在这里。</source>
        <translation>After issuing, the card sheet shows here.</translation>
    </message>
    <message>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>重新制作</source>
        <translation>Make again</translation>
    </message>
    <message>
        <source>为选中的 {n} 户发证</source>
        <translation>Issue to the {n} selected households</translation>
    </message>
    <message>
        <source>请先在列表中选中房屋。</source>
        <translation>Select the households in the list first.</translation>
    </message>
    <message>
        <source>请填写丢失的出入证号。</source>
        <translation>Type the number of the lost card.</translation>
    </message>
    <message>
        <source>正在制作出入证…</source>
        <translation>Making the cards…</translation>
    </message>
    <message>
        <source>发证…</source>
        <translation>Issuing…</translation>
    </message>
    <message>
        <source>排版、签名…</source>
        <translation>Laying out and signing…</translation>
    </message>
    <message>
        <source>没有需要发证的住户：都已持有有效出入证。</source>
        <translation>Nobody needs a card: everyone holds a valid pass.</translation>
    </message>
    <message>
        <source>已发出 {n} 张出入证。</source>
        <translation>{n} passes issued.</translation>
    </message>
    <message>
        <source>已为 {household} {name}补办出入证 {number}（第 {version} 版）；旧卡即刻起在门岗被拒。</source>
        <translation>New card {number} (version {version}) for {name}, {household}; the old card is refused at the gate from now on.</translation>
    </message>
    <message>
        <source>此版面上的出入证都已作废，没有可打印的。</source>
        <translation>Every card on this sheet has been revoked: nothing to print.</translation>
    </message>
    <message>
        <source>已重新制作：{n} 张有效的出入证。</source>
        <translation>Made again: {n} valid cards.</translation>
    </message>
    <message>
        <source>已保存：{path}</source>
        <translation>Saved: {path}</translation>
    </message>
    <message>
        <source>、</source>
        <comment>between numbers</comment>
        <translation>, </translation>
    </message>
    <message>
        <source>此版面上有 {n} 张出入证（{numbers}）已作废或已换新卡，不能再打印，请点“重新制作”。</source>
        <translation>Revoked or replaced since: {numbers}. This sheet cannot be printed; click Make again.</translation>
    </message>
    <message>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>已送打印：{n} 页。</source>
        <translation>Sent to the printer: {n} pages.</translation>
    </message>
    <message>
        <source>出入证 {n} 已作废，立即失效。</source>
        <translation>Pass {n} is revoked and stops working at once.</translation>
    </message>
</context>
<context>
    <name>ProblemsModel</name>
    <message>
        <source>发现时间</source>
        <translation>Found</translation>
    </message>
    <message>
        <source>来源</source>
        <translation>From</translation>
    </message>
    <message>
        <source>门岗</source>
        <translation>Gate</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>记录编号</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
</context>
<context>
    <name>RecordsModel</name>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>About</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>登记人</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>更正 / 作废</source>
        <translation>Corrections / voids</translation>
    </message>
    <message>
        <source>门岗 · 序号</source>
        <translation>Gate · seq</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>记录查询</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Dates</translation>
    </message>
    <message>
        <source>全部类型</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <source>全部结果</source>
        <translation>All outcomes</translation>
    </message>
    <message>
        <source>房号 3-2-501 或 3-2</source>
        <translation>Room 3-2-501 / 3-2</translation>
    </message>
    <message>
        <source>住户姓名或拼音首字母</source>
        <translation>Name or initials</translation>
    </message>
    <message>
        <source>登记人</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>最早</source>
        <translation>Oldest</translation>
    </message>
    <message>
        <source>最新</source>
        <translation>Newest</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>没有符合条件的记录。</source>
        <translation>No records match.</translation>
    </message>
    <message>
        <source>已显示 {n} 条，{first} 至 {last}</source>
        <translation>{n} records shown, {first} to {last}</translation>
    </message>
    <message>
        <source>（滚动以读取更多）</source>
        <translation> (scroll to read more)</translation>
    </message>
</context>
<context>
    <name>ResidentForm</name>
    <message>
        <source>添加住户</source>
        <translation>Add a resident</translation>
    </message>
    <message>
        <source>更正登记信息</source>
        <translation>Correct the registration</translation>
    </message>
    <message>
        <source>迁出</source>
        <translation>Move out</translation>
    </message>
    <message>
        <source>{title}：{name}（{household}）</source>
        <translation>{title}: {name} ({household})</translation>
    </message>
    <message>
        <source>房号</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>楼栋-单元-房号，如 3-2-501</source>
        <translation>building-unit-room, e.g. 3-2-501</translation>
    </message>
    <message>
        <source>11 位手机号，可空</source>
        <translation>11-digit mobile, may be empty</translation>
    </message>
    <message>
        <source>18 位身份证号，可空</source>
        <translation>18-character ID number, may be empty</translation>
    </message>
    <message>
        <source>身份</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>迁出后其出入证立即作废，门岗扫码即拒绝。</source>
        <translation>Once moved out, their pass is revoked at once and refused at the gate.</translation>
    </message>
    <message>
        <source>必填</source>
        <translation>required</translation>
    </message>
    <message>
        <source>可空</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>保存更正</source>
        <translation>Save correction</translation>
    </message>
    <message>
        <source>确认迁出</source>
        <translation>Move out</translation>
    </message>
    <message>
        <source>上一项改动仍在保存，请稍候再试。</source>
        <translation>The previous change is still being saved; try again in a moment.</translation>
    </message>
</context>
<context>
    <name>ResidentsModel</name>
    <message>
        <source>房号</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>身份</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>出入证</source>
        <translation>Passes</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Owner</translation>
    </message>
    <message>
        <source>家属</source>
        <translation>Family</translation>
    </message>
    <message>
        <source>租户</source>
        <translation>Tenant</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>居家隔离</source>
        <translation>Home quarantine</translation>
    </message>
    <message>
        <source>健康观察</source>
        <translation>Observation</translation>
    </message>
    <message>
        <source>已迁出</source>
        <translation>Moved out</translation>
    </message>
    <message>
        <source> 至 {day}</source>
        <translation> until {day}</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>无</source>
        <translation>None</translation>
    </message>
</context>
<context>
    <name>ResidentsPage</name>
    <message>
        <source>请先在表中选中一位住户。</source>
        <translation>Select a resident in the table first.</translation>
    </message>
    <message>
        <source>住户</source>
        <translation>Residents</translation>
    </message>
    <message>
        <source>搜索：房号 3-2-501 或 3-2、姓名、拼音首字母、电话尾号</source>
        <translation>Search: room 3-2-501 or 3-2, name, pinyin initials, phone tail</translation>
    </message>
    <message>
        <source>添加住户…</source>
        <translation>Add resident…</translation>
    </message>
    <message>
        <source>居家隔离</source>
        <translation>Home quarantine</translation>
    </message>
    <message>
        <source>健康观察</source>
        <translation>Observation</translation>
    </message>
    <message>
        <source>无有效出入证</source>
        <translation>No valid pass</translation>
    </message>
    <message>
        <source>已迁出</source>
        <translation>Moved out</translation>
    </message>
    <message>
        <source>选择一位住户查看其房屋</source>
        <translation>Select a resident to see the household</translation>
    </message>
    <message>
        <source>更正…</source>
        <translation>Correct…</translation>
    </message>
    <message>
        <source>更正所选住户的登记信息</source>
        <translation>Correct the selected resident&apos;s registration</translation>
    </message>
    <message>
        <source>迁出…</source>
        <translation>Move out…</translation>
    </message>
    <message>
        <source>所选住户迁出，其出入证立即作废</source>
        <translation>The selected resident moves out; their pass is revoked at once</translation>
    </message>
    <message>
        <source>整户</source>
        <translation>Whole household</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>恢复正常（提前解除）</source>
        <translation>Normal (lift early)</translation>
    </message>
    <message>
        <source>截止</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>提前解除时必填</source>
        <translation>to lift early</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>{shown} / {total} 人</source>
        <translation>{shown} / {total} people</translation>
    </message>
    <message>
        <source>选中的 {n} 户</source>
        <translation>The {n} selected households</translation>
    </message>
    <message>
        <source>证 {n}，有效至 {day}</source>
        <translation>pass {n}, valid until {day}</translation>
    </message>
    <message>
        <source>无出入证</source>
        <translation>no pass</translation>
    </message>
    <message>
        <source>进</source>
        <translation>in</translation>
    </message>
    <message>
        <source>出</source>
        <translation>out</translation>
    </message>
    <message>
        <source>最近出入：</source>
        <translation>Last passages:</translation>
    </message>
    <message>
        <source>最近没有出入记录。</source>
        <translation>No recent passages.</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>registered</translation>
    </message>
    <message>
        <source>更正</source>
        <translation>corrected</translation>
    </message>
    <message>
        <source>恢复正常</source>
        <translation>back to normal</translation>
    </message>
    <message>
        <source>迁出</source>
        <translation>moved out</translation>
    </message>
    <message>
        <source>房号</source>
        <translation>room</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>name</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>phone</translation>
    </message>
    <message>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>身份</source>
        <translation>type</translation>
    </message>
    <message>
        <source> 至 {day}</source>
        <translation> until {day}</translation>
    </message>
    <message>
        <source>（原因：{reason}）</source>
        <translation> (reason: {reason})</translation>
    </message>
    <message>
        <source>登记与状态变更：</source>
        <translation>Registration and status changes:</translation>
    </message>
    <message>
        <source>已保存：{name}（{household}）</source>
        <translation>Saved: {name} ({household})</translation>
    </message>
    <message>
        <source>已更新：{names}（{state}）</source>
        <translation>Updated: {names} ({state})</translation>
    </message>
</context>
<context>
    <name>ReturneesPage</name>
    <message>
        <source>返回人员</source>
        <translation>Returnees</translation>
    </message>
    <message>
        <source>风险地区</source>
        <translation>Risk areas</translation>
    </message>
    <message>
        <source>地区，如 武汉</source>
        <translation>Area, e.g. Wuhan</translation>
    </message>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>添加 / 修改</source>
        <translation>Add / change</translation>
    </message>
    <message>
        <source>移出</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>登记返回人员</source>
        <translation>Register a returnee</translation>
    </message>
    <message>
        <source>房号，如 3-2-501</source>
        <translation>Room (3-2-501)</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>该户没有此人时，作为新成员加入该户</source>
        <translation>Someone not living there yet joins the household</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>车次、航班或车牌</source>
        <translation>Train/flight/car</translation>
    </message>
    <message>
        <source>与病例接触情况，无则留空</source>
        <translation>Contact with cases</translation>
    </message>
    <message>
        <source>全户同时隔离</source>
        <translation>Whole household under the measure</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <source>到达</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <source>房号</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>来自</source>
        <translation>From</translation>
    </message>
    <message>
        <source>交通</source>
        <translation>Travel</translation>
    </message>
    <message>
        <source>措施</source>
        <translation>Measure</translation>
    </message>
    <message>
        <source>截止</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>提前解除</source>
        <translation>Ended early</translation>
    </message>
    <message>
        <source>提前解除原因（必填）</source>
        <translation>Reason (required)</translation>
    </message>
    <message>
        <source>如 核酸阴性，社区卫生服务中心同意</source>
        <translation>e.g. negative test, agreed by the community health centre</translation>
    </message>
    <message>
        <source>提前解除所选人员</source>
        <translation>End early</translation>
    </message>
    <message>
        <source>、</source>
        <translation>; </translation>
    </message>
    <message>
        <source>{area}（{measure} {days} 天）</source>
        <translation>{area} ({measure}, {days} days)</translation>
    </message>
    <message>
        <source>尚未设置风险地区。</source>
        <translation>No risk areas yet.</translation>
    </message>
    <message>
        <source>风险地区“{area}”已保存。</source>
        <translation>Risk area “{area}” saved.</translation>
    </message>
    <message>
        <source>“{area}”已移出风险地区名单。</source>
        <translation>“{area}” removed from the risk areas.</translation>
    </message>
    <message>
        <source>已登记 {household} {name}：{measure}至 {until}，门岗即时生效。</source>
        <translation>Registered {household} {name}: {measure} until {until}, in force at the gate now.</translation>
    </message>
    <message>
        <source>请先在表中选择一位返回人员。</source>
        <translation>Choose a returnee in the table first.</translation>
    </message>
    <message>
        <source>{name} 已提前解除。</source>
        <translation>{name}: measure ended early.</translation>
    </message>
</context>
<context>
    <name>RoundsPage</name>
    <message>
        <source>已测</source>
        <translation>done</translation>
    </message>
    <message>
        <source>未见到</source>
        <translation>not reached</translation>
    </message>
    <message>
        <source>待测</source>
        <translation>due</translation>
    </message>
    <message>
        <source>漏测</source>
        <translation>missed</translation>
    </message>
    <message>
        <source>未到时段</source>
        <translation>later</translation>
    </message>
    <message>
        <source>没有房号为 {text} 的住户。</source>
        <translation>There is no household {text}.</translation>
    </message>
    <message>
        <source>体温</source>
        <translation>Temp. °C</translation>
    </message>
    <message>
        <source>第 {n} 天</source>
        <translation>day {n}</translation>
    </message>
    <message>
        <source>登记表</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>打印此人的居家隔离医学观察登记表（14 天）</source>
        <translation>Print this person&apos;s 14-day monitoring form</translation>
    </message>
    <message>
        <source>上门测温</source>
        <translation>Door rounds</translation>
    </message>
    <message>
        <source>扫描测温单上的二维码，或输入房号后回车</source>
        <translation>Scan a household&apos;s code on the round sheet, or type the household and press Enter</translation>
    </message>
    <message>
        <source>打印今日测温单</source>
        <translation>Today&apos;s round sheets</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>日汇总</source>
        <translation>Day summary</translation>
    </message>
    <message>
        <source>日汇总 Excel</source>
        <translation>Summary Excel</translation>
    </message>
    <message>
        <source>录入</source>
        <translation>Entry</translation>
    </message>
    <message>
        <source>测温人</source>
        <translation>Checked by</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>时段</source>
        <translation>Round</translation>
    </message>
    <message>
        <source>房号</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Names</translation>
    </message>
    <message>
        <source>第几天</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>{window}：已测 {done} · 待测 {due} · 漏测 {missed} · 未见到 {nr}</source>
        <translation>{window}: done {done} · due {due} · missed {missed} · not reached {nr}</translation>
    </message>
    <message>
        <source>今天 {n} 户 {p} 人居家隔离或健康观察。</source>
        <translation>Today {p} people in {n} households under quarantine or observation.</translation>
    </message>
    <message>
        <source>该户今天没有需要上门测温的人员。</source>
        <translation>Nobody in this household needs a door check today.</translation>
    </message>
    <message>
        <source>录入：{household}</source>
        <translation>Entry: {household}</translation>
    </message>
    <message>
        <source>已保存 {n} 人。</source>
        <translation>Saved for {n} people.</translation>
    </message>
    <message>
        <source>发现发热或症状：已开 {k} 件事件，请联系社区卫生服务中心或送发热门诊，并在事件中记录跟进。</source>
        <translation>Fever or symptoms: {k} incidents opened. Call the community health centre or take them to the fever clinic, and record the follow-up on the incident.</translation>
    </message>
    <message>
        <source>正在生成测温单…</source>
        <translation>Writing the round sheets…</translation>
    </message>
    <message>
        <source>测温单已保存：{path}</source>
        <translation>Round sheets saved: {path}</translation>
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

F2 访客登记    F3 无卡住户    F4 访客离开
F6 事件跟进    F9 交接班</source>
        <translation>Scan, type the temperature (e.g. 365), Enter.
Keypad + sets In, − sets Out.

F2 Visitor in    F3 No card    F4 Visitor out
F6 Incidents    F9 Handover</translation>
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
        <translation>(keypad + / −)</translation>
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
    <name>SettingsPage</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>（{low}–{high}）</source>
        <translation> ({low}–{high})</translation>
    </message>
    <message>
        <source>中心库密码</source>
        <translation>Hub password</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>放弃修改</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>原值</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>新值</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>设置项</source>
        <translation>Setting</translation>
    </message>
    <message>
        <source>修改人</source>
        <translation>Changed by</translation>
    </message>
    <message>
        <source>最近的修改</source>
        <translation>Recent changes</translation>
    </message>
    <message>
        <source>第二备份文件夹</source>
        <translation>Second backup folder</translation>
    </message>
    <message>
        <source>没有修改。</source>
        <translation>Nothing was changed.</translation>
    </message>
    <message>
        <source>已保存，留空不改</source>
        <translation>Saved; leave empty to keep</translation>
    </message>
    <message>
        <source>未设置</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>只保存在本机数据文件夹（hub.pgpass，仅本账户可读），不进数据库、记录或备份；每台电脑各自填写。</source>
        <translation>Kept only in this PC&apos;s data folder (hub.pgpass, readable by this account only), never in the database, the records or a backup; each PC enters its own.</translation>
    </message>
    <message>
        <source>已保存修改：{n} 项。</source>
        <translation>Changes saved: {n}.</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <source>首次使用：设置本门岗</source>
        <translation>First start: set up this gate</translation>
    </message>
    <message>
        <source>数据文件夹 {dir} 里还没有门岗数据库。请填写小区和门岗，然后创建管理员账号。同一小区的各个门岗须使用相同的小区代码。</source>
        <translation>The data folder {dir} holds no gate database yet. Name the compound and this gate, then create the admin account. All gates of one compound use the same site code.</translation>
    </message>
    <message>
        <source>首次使用 1/3：小区与门岗</source>
        <translation>First start 1/3: compound and gate</translation>
    </message>
    <message>
        <source>小区代码</source>
        <translation>Site code</translation>
    </message>
    <message>
        <source>2 到 16 位字母或数字，如 HXY01</source>
        <translation>2 to 16 letters or digits, e.g. HXY01</translation>
    </message>
    <message>
        <source>小区名称</source>
        <translation>Compound name</translation>
    </message>
    <message>
        <source>如：和谐苑小区</source>
        <translation>e.g. Harmony Gardens</translation>
    </message>
    <message>
        <source>门岗名称</source>
        <translation>Gate name</translation>
    </message>
    <message>
        <source>如：南门</source>
        <translation>e.g. South gate</translation>
    </message>
    <message>
        <source>创建（回车）</source>
        <translation>Create (Enter)</translation>
    </message>
    <message>
        <source>加入已有小区（用加入文件）…</source>
        <translation>Join an existing site (join file)…</translation>
    </message>
    <message>
        <source>请填写所有项目。</source>
        <translation>Fill in every field.</translation>
    </message>
    <message>
        <source>正在创建数据库和签名密钥…</source>
        <translation>Creating the database and the signing keys…</translation>
    </message>
</context>
<context>
    <name>SignOnPanel</name>
    <message>
        <source>大写锁定已打开（Caps Lock）。</source>
        <translation>Caps Lock is on.</translation>
    </message>
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
        <source>添加值班员（管理员）</source>
        <translation>Add a guard (admin)</translation>
    </message>
    <message>
        <source>首次使用：创建值班员账号</source>
        <translation>First use: create your guard account</translation>
    </message>
    <message>
        <source>本门岗还没有值班员账号。请输入您的姓名，并设置 4 到 8 位数字 PIN（输入两次）。这将创建第一个值班员账号，之后每班用它签到。</source>
        <translation>This gate has no guard account yet. Enter your name and choose a 4 to 8 digit PIN (twice). This creates the first guard account; sign on with it at every shift.</translation>
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
    <name>StartFlow</name>
    <message>
        <source>已从备份 {file} 恢复；原数据库已保留为 {aside}。</source>
        <translation>Restored from backup {file}; the previous database is kept as {aside}.</translation>
    </message>
    <message>
        <source>备份之后本门岗的 {n} 条记录不在恢复的数据库中，仍保存在原文件里，请告知管理员。</source>
        <translation> {n} records of this gate made after the backup are not in the restored database; they are still in the previous file: tell the admin.</translation>
    </message>
</context>
<context>
    <name>SurveyPage</name>
    <message>
        <source>入户排查</source>
        <translation>Door-to-door survey</translation>
    </message>
    <message>
        <source>排查名称</source>
        <translation>Survey</translation>
    </message>
    <message>
        <source>如 2026年12月入户排查</source>
        <translation>e.g. December 2026 survey</translation>
    </message>
    <message>
        <source>楼栋</source>
        <translation>Building</translation>
    </message>
    <message>
        <source>户数</source>
        <translation>Households</translation>
    </message>
    <message>
        <source>入户</source>
        <translation>Visited</translation>
    </message>
    <message>
        <source>电话</source>
        <translation>Phoned</translation>
    </message>
    <message>
        <source>未联系上</source>
        <translation>Not reached</translation>
    </message>
    <message>
        <source>未排查</source>
        <translation>Not yet</translation>
    </message>
    <message>
        <source>需帮助</source>
        <translation>Need help</translation>
    </message>
    <message>
        <source>完成 %</source>
        <translation>Done %</translation>
    </message>
    <message>
        <source>登记一户</source>
        <translation>One household</translation>
    </message>
    <message>
        <source>房号，如 3-2-501</source>
        <translation>Room (3-2-501)</translation>
    </message>
    <message>
        <source>在家人员</source>
        <translation>Who was there</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>发现返回人员…</source>
        <translation>Returnee found…</translation>
    </message>
    <message>
        <source>需要帮助：</source>
        <translation>Needs help:</translation>
    </message>
    <message>
        <source>填写排查名称开始一次排查。</source>
        <translation>Name a survey to start one.</translation>
    </message>
    <message>
        <source>全小区</source>
        <translation>Estate</translation>
    </message>
    <message>
        <source>已联系 {reached} / {n} 户（{percent}%），未联系上 {nr}，未排查 {left}，需帮助 {help}。</source>
        <translation>Reached {reached} of {n} households ({percent}%); not reached {nr}, not yet {left}, need help {help}.</translation>
    </message>
    <message>
        <source>{household}：{result}。</source>
        <translation>{household}: {result}.</translation>
    </message>
    <message>
        <source>已开帮扶事件，帮助办妥后在事件中记录跟进。</source>
        <translation>A help incident was opened: record the help given as its follow-up.</translation>
    </message>
    <message>
        <source>登记返回人员需要物业管理员权限。</source>
        <translation>Registering returnees needs a manager.</translation>
    </message>
</context>
<context>
    <name>Upkeep</name>
    <message>
        <source>已自动生成昨日日志：{folder}</source>
        <translation>Yesterday&apos;s logs made: {folder}</translation>
    </message>
    <message>
        <source>昨日日志未能生成：{why}</source>
        <translation>Yesterday&apos;s logs could not be made: {why}</translation>
    </message>
    <message>
        <source>全小区日志未能生成：{why}</source>
        <translation>The whole compound&apos;s logs could not be made: {why}</translation>
    </message>
    <message>
        <source>已备份 {time}（{n} 份）</source>
        <translation>Backed up {time} (copies: {n})</translation>
    </message>
    <message>
        <source>已备份 {time}，但：{warning}</source>
        <translation>Backed up {time}, but: {warning}</translation>
    </message>
    <message>
        <source>备份失败：{why}</source>
        <translation>Backup failed: {why}</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>用户</source>
        <translation>Users</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>锁定</source>
        <translation>Lockout</translation>
    </message>
    <message>
        <source>新用户</source>
        <translation>New user</translation>
    </message>
    <message>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>选中的用户</source>
        <translation>Selected user</translation>
    </message>
    <message>
        <source>未选中</source>
        <translation>None</translation>
    </message>
    <message>
        <source>重设 PIN/密码</source>
        <translation>Reset</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>解除锁定</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>已添加用户 {name}。</source>
        <translation>User {name} added.</translation>
    </message>
    <message>
        <source>{name} 的 PIN/密码已重设。</source>
        <translation>The PIN/password of {name} was reset.</translation>
    </message>
    <message>
        <source>{name} 已启用。</source>
        <translation>{name} is enabled.</translation>
    </message>
    <message>
        <source>{name} 已停用。</source>
        <translation>{name} is disabled.</translation>
    </message>
    <message>
        <source>{name} 的锁定已解除。</source>
        <translation>The lockout of {name} was cleared.</translation>
    </message>
    <message>
        <source>请先在表中选中一位用户。</source>
        <translation>Select a user in the table first.</translation>
    </message>
    <message>
        <source>锁定至 {time}</source>
        <translation>Locked until {time}</translation>
    </message>
    <message>
        <source>输错 {n} 次</source>
        <translation>{n} wrong attempts</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>已启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enable</translation>
    </message>
    <message>
        <source>PIN（4 到 8 位数字）</source>
        <translation>PIN (4 to 8 digits)</translation>
    </message>
    <message>
        <source>新 PIN/密码</source>
        <translation>New PIN/password</translation>
    </message>
    <message>
        <source>密码（至少 8 个字符）</source>
        <translation>Password (8+ characters)</translation>
    </message>
</context>
<context>
    <name>VerifyPage</name>
    <message>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <source>小区</source>
        <translation>Site</translation>
    </message>
    <message>
        <source>门岗</source>
        <translation>Gate</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>签名</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>未改动</source>
        <translation>Unaltered</translation>
    </message>
    <message>
        <source>核验码</source>
        <translation>Checkpoint</translation>
    </message>
    <message>
        <source>文件名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>结论</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>核验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <source>打开文件…</source>
        <translation>Open files…</translation>
    </message>
    <message>
        <source>打开文件夹…</source>
        <translation>Open folder…</translation>
    </message>
    <message>
        <source>登记小区证书…</source>
        <translation>Register a site certificate…</translation>
    </message>
    <message>
        <source>日志之间的缺口</source>
        <translation>Gaps between the logs</translation>
    </message>
    <message>
        <source>打开日志 PDF</source>
        <translation>Open log PDFs</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>打开日志文件夹</source>
        <translation>Open a folder of logs</translation>
    </message>
    <message>
        <source>登记小区证书</source>
        <translation>Register a site certificate</translation>
    </message>
    <message>
        <source>证书或登记单照片 ({filter})</source>
        <translation>Certificate or photo of the registration sheet ({filter})</translation>
    </message>
    <message>
        <source>正在核验…</source>
        <translation>Verifying…</translation>
    </message>
    <message>
        <source>没有缺口：各门岗的日志逐日衔接。</source>
        <translation>No gaps: each gate&apos;s logs follow on day by day.</translation>
    </message>
    <message>
        <source>没有找到 PDF 文件。</source>
        <translation>No PDF files found.</translation>
    </message>
    <message>
        <source>{n} 个文件全部真实有效，日志之间没有缺口。</source>
        <translation>{n:file is|files are} authentic, and the logs have no gaps.</translation>
    </message>
    <message>
        <source>{n} 个文件中 {bad} 个未通过核验，缺口 {gaps} 处。</source>
        <translation>{bad} of {n:file|files} failed verification; {gaps:gap|gaps}.</translation>
    </message>
    <message>
        <source>其中 {n} 个文件的文件名与内容不符（见“文件名”列）。</source>
        <translation> Of these, {n:file is|files are} misnamed: the name says another day, gate or site than the log holds (see the “Name” column).</translation>
    </message>
    <message>
        <source>{file}：{verdict}</source>
        <translation>{file}: {verdict}</translation>
    </message>
    <message>
        <source>✗</source>
        <translation>✗</translation>
    </message>
    <message>
        <source>正在读取证书…</source>
        <translation>Reading the certificate…</translation>
    </message>
    <message>
        <source>已登记 {site} 的证书。请与登记单逐组核对指纹：{fp}</source>
        <translation>Registered the certificate of {site}. Compare its fingerprint with the registration sheet, group by group: {fp}</translation>
    </message>
    <message>
        <source>或逐词核对指纹读法：</source>
        <translation>or word by word, as the sheet reads them:</translation>
    </message>
    <message>
        <source>已登记的小区证书：{sites}。</source>
        <translation>Registered site certificates: {sites}.</translation>
    </message>
    <message>
        <source>本机尚未登记其他小区的证书：请用“登记小区证书…”导入证书文件或登记单照片。</source>
        <translation>No site certificate is registered on this PC yet: use “Register a site certificate…” with the certificate file or a photo of the registration sheet.</translation>
    </message>
    <message>
        <source>可把日志 PDF 或整个文件夹拖到此页。</source>
        <translation>Drop log PDFs or whole folders on this page.</translation>
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
</context>
<context>
    <name>errors</name>
    <message>
        <source>出错了，详情见日志：{path}</source>
        <translation>Something went wrong; details are in the log: {path}</translation>
    </message>
</context>
<context>
    <name>setup_pages</name>
    <message>
        <source>门岗通</source>
        <translation>Checkpoint</translation>
    </message>
</context>
</TS>
