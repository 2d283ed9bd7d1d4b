package io.berth.event;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.api.ApiException;
import io.berth.security.CallerContext;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events", description = "Change events of your company (CloudEvents 1.0), in commit order.")
public class EventsResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final EventFeed feed;
    private final CallerContext callers;

    public EventsResource(EventFeed feed, CallerContext callers) {
        this.feed = feed;
        this.callers = callers;
    }

    /** A page of the feed. */
    @RegisterForReflection
    @Schema(description = "Events after the cursor, oldest first, and the cursor to pass as `after` next time.")
    public record EventPage(
            @Schema(description = "CloudEvents 1.0 in JSON structured mode (specversion, id, source, type, subject, time,"
                    + " sequence, datacontenttype, data).") List<ObjectNode> items,
            @Schema(description = "Pass as `after` to read on; the same cursor again when there was nothing new.",
                    example = "42") String next) {
    }

    @GET
    @SecurityRequirement(name = "bearer", scopes = "events:read")
    @Operation(operationId = "listEvents", summary = "Read the change feed",
            description = "The company's change events after the cursor, in the order their changes committed,"
                    + " kept for berth.events.retention (7 days). Resume with the `next` of the previous page; a cursor"
                    + " never skips an event. Needs events:read.")
    public EventPage list(
            @Parameter(description = "The `next` of an earlier page (default: from the oldest kept event).",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]{1,18}$")) @QueryParam("after") String after,
            @Parameter(description = "Events per page, 1–500.", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "500", defaultValue = "100")) @QueryParam("limit") String limit) {
        EventFeed.Slice slice = feed.read(callers.current().companyId(), cursor(after), limit(limit));
        return new EventPage(slice.items(), Long.toString(slice.next()));
    }

    private static long cursor(String after) {
        if (after == null) {
            return 0;
        }
        if (!after.matches("[0-9]{1,18}")) {
            throw ApiException.validation("after", "after must be a cursor from an earlier page (digits only).",
                    "Pass the `next` value of the previous page, or leave after out to start from the oldest event.");
        }
        return Long.parseLong(after);
    }

    private static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (!limit.matches("[0-9]{1,3}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > MAX_LIMIT) {
            throw ApiException.validation("limit", "limit must be an integer from 1 to " + MAX_LIMIT + ".", null);
        }
        return Integer.parseInt(limit);
    }
}
