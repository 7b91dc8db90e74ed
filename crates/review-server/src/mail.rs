//! Sending mail. Every message goes into the outbox table first (organizers read it there;
//! part 2's queue sends from it); then it is sent over SMTP with lettre when the server has
//! SMTP settings, or printed on the console by the dev mailer.

use blogtrack_review_store::Store;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

pub enum Mailer {
    /// Prints each message on stderr (no SMTP settings).
    Dev,
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

impl Mailer {
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
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("`{from}` is not an e-mail address ({e})"))?;
        Ok(Mailer::Smtp { transport, from })
    }

    /// Queues the message, then sends it; a failed send stays in the outbox with its error.
    pub async fn send(
        &self,
        store: &Store,
        to: &str,
        subject: &str,
        body: &str,
        now: i64,
    ) -> Result<(), String> {
        let id = store
            .queue_mail(to, subject, body, now)
            .await
            .map_err(|e| e.to_string())?;
        let result = match self {
            Mailer::Dev => {
                eprintln!("--- mail to {to}: {subject}\n{body}\n---");
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let msg = to
                    .parse::<Mailbox>()
                    .map_err(|e| e.to_string())
                    .and_then(|to| {
                        Message::builder()
                            .from(from.clone())
                            .to(to)
                            .subject(subject)
                            .body(body.to_string())
                            .map_err(|e| e.to_string())
                    });
                match msg {
                    Ok(m) => transport
                        .send(m)
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                }
            }
        };
        let err = result.as_ref().err().map(String::as_str);
        store
            .mark_mail(&id, now, err)
            .await
            .map_err(|e| e.to_string())?;
        result
    }
}
