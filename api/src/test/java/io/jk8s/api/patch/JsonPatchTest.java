package io.jk8s.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonPatchTest {

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String apply(String doc, String ops) {
        return JsonPatch.apply(json(doc), json(ops)).toString().replace('"', '\'');
    }

    @Test
    void addsReplacesAndRemoves() {
        assertThat(apply("{'a':1,'l':[1,2]}", "[{'op':'add','path':'/b','value':{'c':2}},"
                + "{'op':'add','path':'/l/1','value':9},{'op':'add','path':'/l/-','value':3},"
                + "{'op':'replace','path':'/a','value':5},{'op':'remove','path':'/l/0'}]"))
                .isEqualTo("{'a':5,'l':[9,2,3],'b':{'c':2}}");
    }

    @Test
    void movesCopiesAndTests() {
        assertThat(apply("{'a':{'x':1},'b':2}", "[{'op':'test','path':'/b','value':2.0},"
                + "{'op':'copy','from':'/a','path':'/c'},{'op':'move','from':'/b','path':'/a/y'}]"))
                .isEqualTo("{'a':{'x':1,'y':2},'c':{'x':1}}");
    }

    @Test
    void escapesPointerTokens() {
        assertThat(apply("{'metadata':{'labels':{'a/b':'1','c~d':'2'}}}",
                "[{'op':'remove','path':'/metadata/labels/a~1b'},{'op':'replace','path':'/metadata/labels/c~0d','value':'3'}]"))
                .isEqualTo("{'metadata':{'labels':{'c~d':'3'}}}");
    }

    @Test
    void failsWithThePath() {
        assertThatThrownBy(() -> apply("{'a':1}", "[{'op':'test','path':'/a','value':2}]"))
                .isInstanceOf(PatchException.class).hasMessageStartingWith("/a:");
        assertThatThrownBy(() -> apply("{'a':1}", "[{'op':'remove','path':'/b'}]"))
                .isInstanceOf(PatchException.class).hasMessageStartingWith("/b:");
        assertThatThrownBy(() -> apply("{'l':[1]}", "[{'op':'add','path':'/l/5','value':1}]"))
                .isInstanceOf(PatchException.class).hasMessageContaining("out of bounds");
        assertThatThrownBy(() -> apply("{}", "[{'op':'frob','path':'/a'}]")).isInstanceOf(PatchException.class);
        assertThatThrownBy(() -> apply("{}", "{}")).isInstanceOf(PatchException.class);
        assertThatThrownBy(() -> apply("{'a':{}}", "[{'op':'move','from':'/a','path':'/a/b'}]"))
                .isInstanceOf(PatchException.class);
    }

    @Test
    void doesNotModifyTheDocumentWhenAnOperationFails() {
        JsonNode doc = json("{'a':1}");
        assertThatThrownBy(() -> JsonPatch.apply(doc, json("[{'op':'add','path':'/b','value':1},{'op':'remove','path':'/x'}]")))
                .isInstanceOf(PatchException.class);
        assertThat(doc.toString()).isEqualTo("{\"a\":1}");
    }
}
