package io.berth.api;

import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code ?limit=&offset=} of every list operation, as a {@code @BeanParam}. */
public class PageParams {

    /** Text, not a number: JAX-RS would answer 404 for a query parameter it cannot convert. */
    @QueryParam("limit")
    @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "200", defaultValue = "25")
    String limit;

    @QueryParam("offset")
    @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0")
    String offset;

    public PageRequest request() {
        return PageRequest.of(limit, offset);
    }
}
