use crate::api::channels::{
    CreateRobot, DeleteRobot, SaveSmtp, SwitchRobot, TestMail, TestOutcome, TestRobot, get_channels,
};
use crate::api::organization::list_units;
use crate::domain::channel::{
    ChannelsOverview, DeliveryStatus, DeliveryView, RobotKind, RobotView, SmtpSecurity, SmtpView,
};
use crate::domain::{Unit, UnitKind};
use crate::error::AppError;
use crate::ui::components::{ErrorPanel, FieldErrors, FormError};
use crate::ui::format::time_zh;
use crate::ui::messages;
use crate::ui::refetch::{any_saved, saved};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/channels` (系统管理员): the 消息通道 — work-group robots on 企业微信, 钉钉 and 飞书,
/// the mail server, who chose e-mail, and the delivery log. Plain forms: it all works without
/// JavaScript; with it, a test send says at once how it went.
#[component]
pub fn ChannelsPage() -> impl IntoView {
    let create = ServerAction::<CreateRobot>::new();
    let switch = ServerAction::<SwitchRobot>::new();
    let delete = ServerAction::<DeleteRobot>::new();
    let test = ServerAction::<TestRobot>::new();
    let smtp = ServerAction::<SaveSmtp>::new();
    let test_mail = ServerAction::<TestMail>::new();
    let written = [
        saved(create),
        saved(switch),
        saved(delete),
        saved(test),
        saved(smtp),
        saved(test_mail),
    ];
    let data = Resource::new(
        move || any_saved(written),
        |_| async { Ok::<_, AppError>((get_channels().await?, list_units().await?)) },
    );
    let error = move || {
        [
            switch.value().get().and_then(Result::err),
            delete.value().get().and_then(Result::err),
            test.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        <Title text="消息通道" />
        <h1>"消息通道"</h1>
        <p class="lede">
            "站内消息之外,通知可同时推送到各单位的工作群机器人和个人邮箱。Webhook 网址和密钥只保存在服务器上,页面仅显示末四位;发送失败会自动重试,不影响任何人的操作。"
        </p>
        {move || error().map(|e| view! { <p class="form-error" role="alert">{messages::error(&e)}</p> })}
        <TestResult outcome=Signal::derive(move || test.value().get().and_then(Result::ok)) />
        <Suspense fallback=|| view! { <p class="loading">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    Ok((overview, units)) => {
                        let ChannelsOverview { robots, smtp: server, mail_recipients, deliveries } = overview;
                        view! {
                            <section class="detail-section">
                                <h2>"工作群机器人"</h2>
                                <RobotTable robots switch delete test />
                                <RobotForm units create />
                            </section>
                            <section class="detail-section">
                                <h2>"邮件"</h2>
                                <SmtpForm server smtp />
                                <TestMailForm test_mail />
                                <Recipients recipients=mail_recipients />
                            </section>
                            <section class="detail-section">
                                <h2>"发送记录"</h2>
                                <DeliveryLog deliveries />
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn TestResult(outcome: Signal<Option<TestOutcome>>) -> impl IntoView {
    move || {
        outcome.get().map(|o| match o.error {
            None => view! {
                <p class="form-notice" role="status">{format!("测试消息已发送到“{}”,请在群里或邮箱中查看。", o.to)}</p>
            }
            .into_any(),
            Some(why) => view! {
                <p class="form-error" role="alert">{format!("测试消息未能发送到“{}”:{why}", o.to)}</p>
            }
            .into_any(),
        })
    }
}

#[component]
fn RobotTable(
    robots: Vec<RobotView>,
    switch: ServerAction<SwitchRobot>,
    delete: ServerAction<DeleteRobot>,
    test: ServerAction<TestRobot>,
) -> impl IntoView {
    if robots.is_empty() {
        return view! { <p class="empty">"尚未设置工作群机器人。"</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="ledger channels">
                <thead>
                    <tr>
                        <th scope="col">"名称"</th>
                        <th scope="col">"平台"</th>
                        <th scope="col">"接收范围"</th>
                        <th scope="col">"Webhook 网址"</th>
                        <th scope="col">"状态"</th>
                        <th scope="col">"操作"</th>
                    </tr>
                </thead>
                <tbody>
                    {robots
                        .into_iter()
                        .map(|r| {
                            let (switch_id, delete_id, test_id) = (r.id.clone(), r.id.clone(), r.id.clone());
                            let signed = if r.has_secret { "(已加签)" } else { "" };
                            view! {
                                <tr class:inactive=!r.enabled>
                                    <th scope="row">{r.name.clone()}</th>
                                    <td data-label="平台">{messages::robot_kind(r.kind)}</td>
                                    <td data-label="接收范围">{messages::audience(&r.audience, &r.audience_name)}</td>
                                    <td data-label="Webhook"><code>{r.url_masked.clone()}</code>{signed}</td>
                                    <td data-label="状态">{if r.enabled { "启用" } else { "已停用" }}</td>
                                    <td class="row-actions">
                                        <ActionForm action=test attr:class="row-form">
                                            <input type="hidden" name="id" value=test_id />
                                            <button type="submit" class="secondary">"发送测试消息"</button>
                                        </ActionForm>
                                        <ActionForm action=switch attr:class="row-form">
                                            <input type="hidden" name="id" value=switch_id />
                                            <input type="hidden" name="version" value=r.version />
                                            <input type="hidden" name="enabled" value=(!r.enabled).to_string() />
                                            <button type="submit" class="secondary">{if r.enabled { "停用" } else { "启用" }}</button>
                                        </ActionForm>
                                        <ActionForm action=delete attr:class="row-form">
                                            <input type="hidden" name="id" value=delete_id />
                                            <button type="submit" class="danger">"删除"</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn RobotForm(units: Vec<Unit>, create: ServerAction<CreateRobot>) -> impl IntoView {
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    // Units that act on tasks (the office is 督办管理员 above): 科室 first, then 街道.
    let mut units: Vec<Unit> = units
        .into_iter()
        .filter(|u| u.kind != UnitKind::Office)
        .collect();
    units.sort_by_key(|u| {
        (
            UnitKind::ALL.iter().position(|k| *k == u.kind),
            u.name.clone(),
        )
    });
    view! {
        <h3>"新增工作群机器人"</h3>
        <ActionForm action=create attr:class="grid-form">
            <label>
                "名称"
                <input name="name" required maxlength="40" placeholder="如:葵涌街道党建工作群" aria-describedby="robot-name-error" />
                <FieldErrors error field="name" id="robot-name-error" />
            </label>
            <label>
                "平台"
                <select name="platform" aria-describedby="robot-platform-error">
                    {RobotKind::ALL
                        .into_iter()
                        .map(|k| view! { <option value=k.code()>{messages::robot_kind(k)}</option> })
                        .collect_view()}
                </select>
                <FieldErrors error field="platform" id="robot-platform-error" />
            </label>
            <label>
                "接收范围"
                <select name="audience" aria-describedby="robot-audience-error">
                    <option value="office">"督办管理员(发榜方)"</option>
                    <option value="leaders">"领导(批示、审定、督办单抄送)"</option>
                    {units
                        .into_iter()
                        .map(|u| {
                            let label = messages::audience(&crate::domain::channel::Audience::Unit(u.id.clone()), &u.name);
                            view! { <option value=format!("unit:{}", u.id)>{label}</option> }
                        })
                        .collect_view()}
                </select>
                <FieldErrors error field="audience" id="robot-audience-error" />
            </label>
            <label class="wide">
                "Webhook 网址(在群设置的机器人详情中复制)"
                <input name="url" type="url" required autocomplete="off" placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" aria-describedby="robot-url-error" />
                <FieldErrors error field="url" id="robot-url-error" />
            </label>
            <label class="wide">
                "签名密钥(钉钉“加签”、飞书“签名校验”必填;企业微信留空)"
                <input name="secret" type="password" autocomplete="off" aria-describedby="robot-secret-error" />
                <FieldErrors error field="secret" id="robot-secret-error" />
            </label>
            <FormError error />
            <button type="submit">"添加"</button>
        </ActionForm>
    }
}

#[component]
fn SmtpForm(server: Option<SmtpView>, smtp: ServerAction<SaveSmtp>) -> impl IntoView {
    let error = Signal::derive(move || smtp.value().get().and_then(Result::err));
    let done = move || smtp.value().get().is_some_and(|r| r.is_ok());
    let ready = server.is_some();
    let (host, port, security, username, has_password, from) = match server {
        Some(s) => (
            s.host,
            s.port.to_string(),
            s.security,
            s.username.unwrap_or_default(),
            s.has_password,
            s.from,
        ),
        None => (
            String::new(),
            "465".to_owned(),
            SmtpSecurity::Tls,
            String::new(),
            false,
            String::new(),
        ),
    };
    view! {
        <h3>"邮件服务器(SMTP)"</h3>
        {(!ready).then(|| view! { <p class="hint">"尚未设置邮件服务器:设置后,选择了邮件通知的人员将同时收到邮件。"</p> })}
        {move || done().then(|| view! { <p class="form-notice" role="status">"邮件服务器已保存。"</p> })}
        <ActionForm action=smtp attr:class="grid-form">
            <label>
                "服务器地址"
                <input name="host" value=host required placeholder="smtp.example.gov.cn" aria-describedby="smtp-host-error" />
                <FieldErrors error field="host" id="smtp-host-error" />
            </label>
            <label>
                "端口"
                <input name="port" value=port inputmode="numeric" required aria-describedby="smtp-port-error" />
                <FieldErrors error field="port" id="smtp-port-error" />
            </label>
            <label>
                "加密方式"
                <select name="security" aria-describedby="smtp-security-error">
                    {SmtpSecurity::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.code() selected=s == security>{messages::smtp_security(s)}</option> })
                        .collect_view()}
                </select>
                <FieldErrors error field="security" id="smtp-security-error" />
            </label>
            <label>
                "发件地址"
                <input name="from" type="email" value=from required placeholder="notice@example.gov.cn" aria-describedby="smtp-from-error" />
                <FieldErrors error field="from" id="smtp-from-error" />
            </label>
            <label>
                "登录用户名(可空)"
                <input name="username" value=username autocomplete="off" aria-describedby="smtp-username-error" />
                <FieldErrors error field="username" id="smtp-username-error" />
            </label>
            <label>
                {if has_password { "登录密码(已设置,留空不变)" } else { "登录密码(可空)" }}
                <input name="password" type="password" autocomplete="new-password" aria-describedby="smtp-password-error" />
                <FieldErrors error field="password" id="smtp-password-error" />
            </label>
            <FormError error />
            <button type="submit">"保存"</button>
        </ActionForm>
    }
}

#[component]
fn TestMailForm(test_mail: ServerAction<TestMail>) -> impl IntoView {
    let error = Signal::derive(move || test_mail.value().get().and_then(Result::err));
    view! {
        <TestResult outcome=Signal::derive(move || test_mail.value().get().and_then(Result::ok)) />
        <ActionForm action=test_mail attr:class="row-form test-mail">
            <label>
                "测试收件地址"
                <input name="address" type="email" required aria-describedby="mail-address-error" />
            </label>
            <button type="submit" class="secondary">"发送测试邮件"</button>
            <FieldErrors error field="address" id="mail-address-error" />
            <FormError error />
        </ActionForm>
    }
}

#[component]
fn Recipients(recipients: Vec<(String, String)>) -> impl IntoView {
    let count = recipients.len();
    view! {
        <h3>{format!("选择邮件通知的人员({count})")}</h3>
        <p class="hint">"每个人可在“站内消息”页自行填写邮箱并选择是否接收邮件。"</p>
        {if recipients.is_empty() {
            view! { <p class="empty">"暂无。"</p> }.into_any()
        } else {
            view! {
                <ul class="recipients">
                    {recipients
                        .into_iter()
                        .map(|(name, email)| view! { <li>{name}" · "<code>{email}</code></li> })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

#[component]
fn DeliveryLog(deliveries: Vec<DeliveryView>) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="empty">"暂无发送记录。"</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="ledger deliveries">
                <thead>
                    <tr>
                        <th scope="col">"时间"</th>
                        <th scope="col">"通道"</th>
                        <th scope="col">"接收方"</th>
                        <th scope="col">"消息"</th>
                        <th scope="col">"状态"</th>
                        <th scope="col">"说明"</th>
                    </tr>
                </thead>
                <tbody>
                    {deliveries
                        .into_iter()
                        .map(|d| {
                            let note = match (d.status, &d.last_error, d.next_at) {
                                (DeliveryStatus::Pending, Some(e), Some(next)) => {
                                    format!("第 {} 次未成功:{e};将于 {} 重试", d.attempts, time_zh(next))
                                }
                                (_, Some(e), _) => format!("{e}(已尝试 {} 次)", d.attempts),
                                (DeliveryStatus::Sent, None, _) => d
                                    .sent_at
                                    .map(|at| format!("{} 送达", time_zh(at)))
                                    .unwrap_or_default(),
                                _ => String::new(),
                            };
                            let class = format!("delivery-{}", d.status.code());
                            view! {
                                <tr class=class>
                                    <td data-label="时间">{time_zh(d.created_at)}</td>
                                    <td data-label="通道">{messages::channel_code(&d.channel)}</td>
                                    <td data-label="接收方">{d.destination}</td>
                                    <td data-label="消息">{d.title}</td>
                                    <td data-label="状态" class="delivery-state">{messages::delivery_status(d.status)}</td>
                                    <td data-label="说明">{note}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
