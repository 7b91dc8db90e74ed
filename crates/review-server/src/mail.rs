//! Sending mail through a queue that survives restarts. Requests only queue messages (rows of
//! `mail_outbox`, see `blogtrack_review_store::outbox`), usually in the transaction of the
//! change that causes them, and wake the worker ([`Mailer::queued`]). The worker
//! ([`start_worker`], started by [`crate::serve`]) claims one due message at a time with a
//! lease, sends it over SMTP with lettre (or prints it, the dev mailer), and marks it sent as
//! soon as the SMTP server has accepted it. A failure is retried with exponential backoff
//! ([`Policy`]); a permanent refusal (a 5xx reply, an address that does not parse) or the last
//! attempt gives the message up, its error kept for the organizers' outbox page.
//!
//! Delivery is exactly-once except in one window: if the process dies after the SMTP server
//! accepted a message and before `sent_at` is committed, the lease runs out and the message is
//! sent again (at-least-once), with the same Message-ID (the outbox row's), so the copy is
//! recognizably the same message. A message whose sender died before the acceptance is simply
//! sent after the lease. The lease is longer than the SMTP timeout, so a live sender never
//! loses its claim to another.

use crate::clock::Clock;
use crate::templates::Templates;
use blogtrack_review_store::{ClaimedMail, NewMail, Store};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How the worker retries.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Seconds a claim holds a message (longer than an SMTP exchange may take).
    pub lease: i64,
    /// Seconds before the first retry; each next one waits twice as long (at most a day).
    pub first_retry: i64,
    /// Attempts before a message is given up.
    pub max_attempts: i64,
    /// The longest the worker sleeps without being woken (it also wakes when a message is
    /// queued and when the next one falls due).
    pub poll: Duration,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            lease: 300,
            first_retry: 60,
            max_attempts: 8,
            poll: Duration::from_secs(30),
        }
    }
}

impl Policy {
    /// When to try again after failed attempt number `attempts` (1 for the first), or
    /// `None` to give up.
    pub fn retry_at(&self, now: i64, attempts: i64) -> Option<i64> {
        if attempts >= self.max_attempts {
            return None;
        }
        let shift = (attempts - 1).clamp(0, 20) as u32;
        Some(now + (self.first_retry.max(1) << shift).min(86_400))
    }
}

enum Transport {
    /// Prints each message on stderr (no SMTP settings).
    Dev,
    Smtp {
        host: String,
        port: u16,
        /// Boxed: the transport is large and `Dev` carries nothing.
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
}

/// An SMTP transport whose every command times out after `secs`.
fn smtp_transport(host: &str, port: u16, secs: u64) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(Duration::from_secs(secs)))
        .build()
}

/// The server's mail: templates, transport, retry policy and the worker's wake-up call.
pub struct Mailer {
    transport: Transport,
    templates: Templates,
    policy: Policy,
    wake: Notify,
}

/// Why one attempt failed, and whether another could succeed.
struct Failure {
    message: String,
    permanent: bool,
}

impl Mailer {
    /// The dev mailer: messages are printed on stderr (and kept in the outbox).
    pub fn dev() -> Mailer {
        Mailer {
            transport: Transport::Dev,
            templates: Templates::builtin(),
            policy: Policy::default(),
            wake: Notify::new(),
        }
    }

    /// `smtp://host:port` (plain SMTP to a relay on a trusted network, e.g. the local
    /// mail server; this build has no TLS) and the From address.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, String> {
        let bad = || format!("`{url}` is not an SMTP URL: write smtp://host:port");
        let rest = url.strip_prefix("smtp://").ok_or_else(bad)?;
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None => (rest.trim_end_matches('/'), 25),
        };
        if host.is_empty() {
            return Err(bad());
        }
        let from = from
            .parse()
            .map_err(|e| format!("`{from}` is not an e-mail address ({e})"))?;
        let mut m = Mailer::dev();
        m.transport = Transport::Smtp {
            host: host.to_string(),
            port,
            transport: Box::new(smtp_transport(host, port, 60)),
            from,
        };
        m.set_policy(Policy::default());
        Ok(m)
    }

    pub fn with_templates(mut self, templates: Templates) -> Mailer {
        self.templates = templates;
        self
    }

    pub fn with_policy(mut self, policy: Policy) -> Mailer {
        self.set_policy(policy);
        self
    }

    fn set_policy(&mut self, policy: Policy) {
        self.policy = policy;
        // An SMTP exchange must end well within the lease, or a live sender could lose its
        // claim and the message go out twice.
        if let Transport::Smtp {
            host,
            port,
            transport,
            ..
        } = &mut self.transport
        {
            **transport = smtp_transport(host, *port, (policy.lease / 3).clamp(1, 60) as u64);
        }
    }

    pub fn policy(&self) -> Policy {
        self.policy
    }

    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// A message to `to` from template `kind` (see [`crate::templates`]).
    pub fn compose(&self, kind: &str, to: &str, vars: &[(&str, String)]) -> NewMail {
        let r = self.templates.render(kind, vars);
        NewMail {
            to: to.to_string(),
            subject: r.subject,
            body: r.body,
            kind: kind.to_string(),
            ..Default::default()
        }
    }

    /// Tells the worker that something was queued.
    pub fn queued(&self) {
        self.wake.notify_one();
    }

    async fn deliver(&self, m: &ClaimedMail) -> Result<(), Failure> {
        match &self.transport {
            Transport::Dev => {
                eprintln!(
                    "--- mail to {}: {}\n{}\n---",
                    m.to_address, m.subject, m.body
                );
                Ok(())
            }
            Transport::Smtp {
                transport, from, ..
            } => {
                let permanent = |message: String| Failure {
                    message,
                    permanent: true,
                };
                let to = m
                    .to_address
                    .parse::<Mailbox>()
                    .map_err(|e| permanent(format!("`{}` is not an address: {e}", m.to_address)))?;
                // The Message-ID is the outbox row's, the same on every attempt: a message
                // sent twice (the one at-least-once window) reaches the recipient as two
                // copies of one message, which mail clients and the test sink recognize.
                let msg = Message::builder()
                    .message_id(Some(message_id(&m.id, from)))
                    .from(from.clone())
                    .to(to)
                    .subject(m.subject.clone())
                    .body(m.body.clone())
                    .map_err(|e| permanent(e.to_string()))?;
                transport.send(msg).await.map(|_| ()).map_err(|e| Failure {
                    permanent: e.is_permanent(),
                    message: e.to_string(),
                })
            }
        }
    }
}

/// `<row id@domain of the From address>`: stable across attempts of one outbox row.
pub fn message_id(row: &str, from: &Mailbox) -> String {
    format!("<{row}@{}>", from.email.domain())
}

/// The running worker; [`Worker::stop`] lets it finish the message in hand.
pub struct Worker {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Starts the worker that sends `store`'s queued mail through `mailer`.
pub fn start_worker(store: Store, mailer: Arc<Mailer>, clock: Arc<dyn Clock>) -> Worker {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        loop {
            drain(&store, &mailer, clock.as_ref(), &stopped).await;
            if *stopped.borrow() {
                return;
            }
            let now = clock.now();
            let poll = mailer.policy.poll;
            let wait = match store.next_mail_at().await {
                Ok(Some(at)) if at > now => Duration::from_secs((at - now) as u64).min(poll),
                Ok(Some(_)) => Duration::from_millis(200).min(poll),
                Ok(None) => poll,
                Err(e) => {
                    eprintln!("mail: cannot read the queue: {e} (trying again in {poll:?})");
                    poll
                }
            };
            tokio::select! {
                _ = mailer.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
                _ = stopped.changed() => return,
            }
        }
    });
    Worker { stop, task }
}

/// Sends every message that is due, one at a time, until none is or the worker is stopped.
async fn drain(store: &Store, mailer: &Mailer, clock: &dyn Clock, stopped: &watch::Receiver<bool>) {
    let policy = mailer.policy;
    while !*stopped.borrow() {
        let claimed = match store.claim_mail(clock.now(), policy.lease).await {
            Ok(Some(c)) => c,
            Ok(None) => return,
            Err(e) => {
                eprintln!("mail: cannot claim a message: {e}");
                return;
            }
        };
        let result = mailer.deliver(&claimed).await;
        let now = clock.now();
        let recorded = match &result {
            Ok(()) => store.mail_sent(&claimed, now).await,
            Err(f) => {
                let retry = if f.permanent {
                    None
                } else {
                    policy.retry_at(now, claimed.attempts)
                };
                match retry {
                    Some(at) => eprintln!(
                        "mail to {}: attempt {} failed: {} (next attempt in {} s)",
                        claimed.to_address,
                        claimed.attempts,
                        f.message,
                        at - now
                    ),
                    None => eprintln!(
                        "mail to {}: given up after {} attempt(s): {}",
                        claimed.to_address, claimed.attempts, f.message
                    ),
                }
                store.mail_failed(&claimed, now, &f.message, retry).await
            }
        };
        match recorded {
            Ok(true) => {}
            Ok(false) => eprintln!(
                "mail to {}: the claim ran out before the result was recorded",
                claimed.to_address
            ),
            // The lease runs out and the message is tried again.
            Err(e) => eprintln!(
                "mail to {}: cannot record the result: {e}",
                claimed.to_address
            ),
        }
    }
}
