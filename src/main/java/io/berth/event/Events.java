package io.berth.event;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.RequestIds;
import io.berth.persistence.DbTime;

/**
 * The outbox: records a change event in the transaction of the change, so the event exists exactly
 * when the change was committed (a dry run's rollback takes its event with it). Events are
 * CloudEvents 1.0 ({@link EventFeed} renders them): {@code source}
 * {@code /companies/<companyId>/environments/<environmentId>}, {@code subject} the resource id,
 * {@code data} the resource as the API shows it after the change plus {@code changedBy} and, per
 * type, further fields.
 */
@ApplicationScoped
public class Events {

    private final EntityManager em;
    private final ObjectMapper mapper;

    public Events(EntityManager em, ObjectMapper mapper) {
        this.em = em;
        this.mapper = mapper;
    }

    /**
     * Records one event in the running transaction.
     *
     * @param company     the company the resource belongs to
     * @param environment the resource's environment
     * @param subject     the resource's id
     * @param resource    the resource's API view after the change (serialized as the API does)
     * @param changedBy   who made the change (a token subject, or {@code system:auto-update})
     * @param extra       further data fields (e.g. fromTag/toTag), or an empty map
     * @throws jakarta.transaction.TransactionalException outside a transaction
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(UUID company, UUID environment, EventType type, UUID subject, Object resource, String changedBy,
            Map<String, ?> extra) {
        ObjectNode data = mapper.valueToTree(resource);
        data.put("changedBy", changedBy);
        extra.forEach((k, v) -> data.set(k, mapper.valueToTree(v)));
        String json;
        try {
            json = mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An event's data cannot be serialized", e);
        }
        em.createNativeQuery("insert into events (id, company_id, type, source, subject, time, data)"
                + " values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb))")
                .setParameter(1, "evt_" + RequestIds.ulid(System.currentTimeMillis()))
                .setParameter(2, company).setParameter(3, type.type())
                .setParameter(4, "/companies/" + company + "/environments/" + environment)
                .setParameter(5, subject.toString()).setParameter(6, DbTime.now())
                .setParameter(7, json).executeUpdate();
    }
}
