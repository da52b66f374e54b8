package dev.backstop.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstop.core.usecase.Validation;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The small bodies that some endpoints take or go without (Camunda's client sends none): absent,
 * or a JSON object of known string fields. Read as a tree, so absent and a literal {@code null}
 * can be told apart; everything else is refused naming the field, before the endpoint acts.
 */
final class OptionalBody {

  private OptionalBody() {}

  /**
   * The fields given (those null or absent left out); 400 for a body that is not an object (a
   * literal {@code null} included), an unknown field, a value that is not a string or holds U+0000.
   */
  static Map<String, String> strings(JsonNode body, Set<String> fields, String example) {
    Map<String, String> values = new LinkedHashMap<>();
    if (body == null || body.isMissingNode()) {
      return values;
    }
    Validation v = new Validation();
    if (!body.isObject()) {
      v.add("body", "must be a JSON object such as " + example + ", or empty");
      throw ApiProblem.validation(v.errors());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey().replace('\u0000', '?');
      JsonNode value = field.getValue();
      if (!fields.contains(field.getKey())) {
        v.add(name, "is not a field of this request");
      } else if (value.isNull()) {
        continue;
      } else if (!value.isTextual()) {
        v.add(name, "must be a string");
      } else if (value.asText().indexOf('\u0000') >= 0) {
        v.add(name, "must not contain the character U+0000");
      } else {
        values.put(name, value.asText());
      }
    }
    if (v.hasErrors()) {
      throw ApiProblem.validation(v.errors());
    }
    return values;
  }
}
