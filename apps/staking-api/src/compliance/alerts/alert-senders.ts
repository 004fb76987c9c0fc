import { AppConfigService } from '@app/common';
import { Injectable } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AlertChannel } from './alert.schema.js';

export interface OutgoingAlert {
  subject: string;
  text: string;
}

const SEND_TIMEOUT_MS = 10_000;

/**
 * Delivers alerts by e-mail (SMTP_URL through nodemailer) and to a Slack-compatible webhook.
 * Errors never carry the SMTP credentials or the webhook URL: both are secrets.
 */
@Injectable()
export class AlertSenders {
  private readonly smtp: Transporter | undefined;
  private readonly from: string;
  private readonly to: string[];
  private readonly webhook: string | undefined;
  private readonly secrets: string[];

  constructor(config: AppConfigService) {
    const smtpUrl = config.get('SMTP_URL');
    this.smtp = smtpUrl
      ? nodemailer.createTransport(smtpUrl, {
          connectionTimeout: SEND_TIMEOUT_MS,
          greetingTimeout: SEND_TIMEOUT_MS,
          socketTimeout: SEND_TIMEOUT_MS,
        } as never)
      : undefined;
    this.from = config.get('ALERT_EMAIL_FROM');
    this.to = config.get('ALERT_EMAIL_TO');
    this.webhook = config.get('SLACK_WEBHOOK_URL');
    this.secrets = [smtpUrl, this.webhook].filter((s): s is string => Boolean(s));
  }

  /** Whether the channel is configured; an unconfigured channel's alerts are marked failed. */
  configured(channel: AlertChannel): boolean {
    if (channel === 'email') return Boolean(this.smtp && this.to.length);
    return Boolean(this.webhook);
  }

  async send(channel: AlertChannel, alert: OutgoingAlert): Promise<void> {
    try {
      if (channel === 'email') {
        if (!this.smtp || !this.to.length) throw new Error('SMTP_URL or ALERT_EMAIL_TO is not set');
        await this.smtp.sendMail({
          from: this.from,
          to: this.to,
          subject: alert.subject,
          text: alert.text,
        });
        return;
      }
      if (!this.webhook) throw new Error('SLACK_WEBHOOK_URL is not set');
      const res = await fetch(this.webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `*${alert.subject}*\n${alert.text}` }),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`webhook answered HTTP ${res.status}`);
    } catch (error) {
      // eslint-disable-next-line preserve-caught-error -- the cause may carry the SMTP password or webhook URL
      throw new Error(this.redact((error as Error).message || String(error)));
    }
  }

  close(): void {
    this.smtp?.close();
  }

  private redact(message: string): string {
    let out = message;
    for (const secret of this.secrets) {
      out = out.split(secret).join('[redacted]');
      try {
        const url = new URL(secret);
        if (url.password) out = out.split(decodeURIComponent(url.password)).join('[redacted]');
      } catch {
        /* not a URL: the plain replacement above is all */
      }
    }
    return out.slice(0, 500);
  }
}
