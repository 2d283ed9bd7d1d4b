-- How far the Knative sink (K_SINK) has been sent: one row, locked by the replica sending, so
-- events reach the sink once each (at least once across a crash) and in feed order.
create table event_sink_cursor (
    id        integer  primary key check (id = 1),
    position  bigint   not null
);
