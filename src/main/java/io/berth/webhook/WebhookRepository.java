package io.berth.webhook;

import jakarta.enterprise.context.ApplicationScoped;

import io.berth.persistence.TenantScopedRepository;

/** The current company's webhook subscriptions. */
@ApplicationScoped
public class WebhookRepository extends TenantScopedRepository<Webhook> {

    public WebhookRepository() {
        super(Webhook.class);
    }
}
