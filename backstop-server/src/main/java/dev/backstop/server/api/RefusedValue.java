package dev.backstop.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;

/**
 * A value of a request body that parses but is refused while reading it; its message is shown
 * as the field's error (the field's path is added by Jackson as the error leaves the object).
 */
final class RefusedValue extends JsonMappingException {

  RefusedValue(JsonParser parser, String message) {
    super(parser, message);
  }

  /**
   * Reads strings as usual but refuses U+0000: PostgreSQL's text cannot hold it, so a name
   * carrying one would fail deep in the database instead of naming its field.
   */
  static final class NoNulStrings extends StdScalarDeserializer<String> {

    NoNulStrings() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      String value = StringDeserializer.instance.deserialize(parser, context);
      if (value != null && value.indexOf('\u0000') >= 0) {
        throw new RefusedValue(parser, "must not contain the character U+0000");
      }
      return value;
    }
  }
}
