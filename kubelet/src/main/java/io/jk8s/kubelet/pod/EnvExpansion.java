package io.jk8s.kubelet.pod;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} syntax for env values, command and args: a defined variable is
 * replaced, an undefined one stays as written, {@code $$} escapes to {@code $}; any other
 * {@code $} is literal, as is an unterminated {@code $(}.
 */
final class EnvExpansion {

    private EnvExpansion() {
    }

    static String expand(String input, Map<String, String> vars) {
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append(input, i, input.length()); // no closing paren: the rest is literal
                    break;
                }
                String name = input.substring(i + 2, close);
                String value = vars.get(name);
                out.append(value != null ? value : "$(" + name + ")");
                i = close + 1;
            } else {
                out.append('$').append(next);
                i += 2;
            }
        }
        return out.toString();
    }

    static List<String> expandAll(List<String> inputs, Map<String, String> vars) {
        return inputs.stream().map(s -> expand(s, vars)).toList();
    }
}
