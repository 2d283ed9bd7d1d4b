-- Change events (CloudEvents 1.0), written in the transaction of the change they describe (a
-- transactional outbox): no committed change without its event, no event of a rolled-back one.
-- position is given after commit, by one sequencer at a time, in the order events become visible:
-- a feed cursor (the last position read) therefore never skips an event whose transaction
-- committed after a later-started one.
create sequence events_position_seq;
create table events (
    id          varchar(40)   primary key,   -- the CloudEvents id: evt_<ULID>, unique and time-sortable
    company_id  uuid          not null,
    position    bigint        unique,        -- null until sequenced
    -- insertion order: events of one transaction keep the order they were written in
    written     bigint        generated always as identity,
    type        varchar(100)  not null,
    source      varchar(200)  not null,
    subject     varchar(100)  not null,
    time        timestamptz   not null,
    data        jsonb         not null
);
create index events_company_position_idx on events (company_id, position) where position is not null;
create index events_unsequenced_idx on events (written) where position is null;
create index events_time_idx on events (time);
