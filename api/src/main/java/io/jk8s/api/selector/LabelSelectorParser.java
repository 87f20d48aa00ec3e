package io.jk8s.api.selector;

import java.util.ArrayList;
import java.util.List;

/**
 * Parser for upstream's label selector syntax ({@code labels.Parse}): comma-separated requirements
 * {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a)}, {@code k},
 * {@code !k}, {@code k>1}, {@code k<1}. Whitespace between tokens is ignored.
 */
final class LabelSelectorParser {

    private enum Kind { IDENT, IN, NOTIN, EQ, DEQ, NEQ, BANG, GT, LT, OPEN, CLOSE, COMMA, END }

    private record Token(Kind kind, String text) {
    }

    private final String input;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private LabelSelectorParser(String input) {
        this.input = input;
        lex();
    }

    static List<LabelRequirement> parse(String input) {
        return new LabelSelectorParser(input).requirements();
    }

    private void lex() {
        int i = 0;
        int n = input.length();
        while (i < n) {
            char c = input.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (input.startsWith("==", i)) {
                tokens.add(new Token(Kind.DEQ, "==")); i += 2;
            } else if (input.startsWith("!=", i)) {
                tokens.add(new Token(Kind.NEQ, "!=")); i += 2;
            } else if (isSpecial(c)) {
                tokens.add(new Token(switch (c) {
                    case '=' -> Kind.EQ;
                    case '!' -> Kind.BANG;
                    case '>' -> Kind.GT;
                    case '<' -> Kind.LT;
                    case '(' -> Kind.OPEN;
                    case ')' -> Kind.CLOSE;
                    default -> Kind.COMMA;
                }, String.valueOf(c)));
                i++;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(input.charAt(i)) && !isSpecial(input.charAt(i))) {
                    i++;
                }
                String word = input.substring(start, i);
                Kind kind = switch (word) {
                    case "in" -> Kind.IN;
                    case "notin" -> Kind.NOTIN;
                    default -> Kind.IDENT;
                };
                tokens.add(new Token(kind, word));
            }
        }
        tokens.add(new Token(Kind.END, ""));
    }

    private static boolean isSpecial(char c) {
        return c == '=' || c == '!' || c == '>' || c == '<' || c == '(' || c == ')' || c == ',';
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private List<LabelRequirement> requirements() {
        List<LabelRequirement> result = new ArrayList<>();
        if (peek().kind == Kind.END) {
            return result;
        }
        while (true) {
            result.add(requirement());
            Token t = next();
            if (t.kind == Kind.END) {
                return result;
            }
            if (t.kind != Kind.COMMA) {
                throw error(t, "',' or end of string");
            }
            if (peek().kind == Kind.END) {
                throw error(peek(), "identifier after ','");
            }
        }
    }

    private LabelRequirement requirement() {
        boolean negated = false;
        if (peek().kind == Kind.BANG) {
            next();
            negated = true;
        }
        Token keyToken = next();
        if (keyToken.kind != Kind.IDENT) {
            throw error(keyToken, "identifier");
        }
        String key = keyToken.text;
        if (negated) {
            if (peek().kind != Kind.END && peek().kind != Kind.COMMA) {
                throw error(peek(), "',' or end of string after '!" + key + "'");
            }
            return LabelSelector.requirement(key, Operator.DOES_NOT_EXIST, List.of());
        }
        Token op = peek();
        if (op.kind == Kind.END || op.kind == Kind.COMMA) {
            return LabelSelector.requirement(key, Operator.EXISTS, List.of());
        }
        next();
        return switch (op.kind) {
            case EQ -> LabelSelector.requirement(key, Operator.EQUALS, List.of(exactValue()));
            case DEQ -> LabelSelector.requirement(key, Operator.DOUBLE_EQUALS, List.of(exactValue()));
            case NEQ -> LabelSelector.requirement(key, Operator.NOT_EQUALS, List.of(exactValue()));
            case GT -> LabelSelector.requirement(key, Operator.GREATER_THAN, List.of(exactValue()));
            case LT -> LabelSelector.requirement(key, Operator.LESS_THAN, List.of(exactValue()));
            case IN -> LabelSelector.requirement(key, Operator.IN, valueSet());
            case NOTIN -> LabelSelector.requirement(key, Operator.NOT_IN, valueSet());
            default -> throw error(op, "operator ('=', '==', '!=', 'in', 'notin', '>', '<') after '" + key + "'");
        };
    }

    /** After =, ==, !=: one value, possibly empty ({@code a=} selects a="" as upstream). */
    private String exactValue() {
        Token t = peek();
        if (t.kind == Kind.END || t.kind == Kind.COMMA) {
            return "";
        }
        if (t.kind == Kind.IDENT || t.kind == Kind.IN || t.kind == Kind.NOTIN) {
            next();
            return t.text;
        }
        throw error(t, "value");
    }

    /** After in/notin: {@code (v1,v2)}; empty members are empty strings, as upstream. */
    private List<String> valueSet() {
        Token open = next();
        if (open.kind != Kind.OPEN) {
            throw error(open, "'('");
        }
        List<String> values = new ArrayList<>();
        if (peek().kind == Kind.CLOSE) {
            next();
            return values;
        }
        boolean expectValue = true;
        while (true) {
            Token t = next();
            switch (t.kind) {
                case IDENT, IN, NOTIN -> {
                    if (!expectValue) {
                        throw error(t, "',' or ')'");
                    }
                    values.add(t.text);
                    expectValue = false;
                }
                case COMMA -> {
                    if (expectValue) {
                        values.add("");
                    }
                    expectValue = true;
                }
                case CLOSE -> {
                    if (expectValue) {
                        values.add("");
                    }
                    return values;
                }
                default -> throw error(t, "value, ',' or ')'");
            }
        }
    }

    private SelectorException error(Token found, String expected) {
        String what = found.kind == Kind.END ? "end of string" : "'" + found.text + "'";
        return new SelectorException("unable to parse requirement: found " + what + ", expected: " + expected
                + " (in selector \"" + input + "\")");
    }
}
