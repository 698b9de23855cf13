package io.vigil.compiler.drools;

import java.util.Optional;
import java.util.UUID;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.Results;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.conf.EventProcessingOption;

/**
 * One Drools build of a rule set's DRL: its messages, and its knowledge base when it has no error.
 *
 * <p>Drools keeps built modules in one repository per JVM, by release id. Every build here has a
 * release id of its own and takes its module out of the repository once the knowledge base exists:
 * the parallel instances of a job (and the rule sets checked beside them) build at the same time in
 * one task manager, and a shared id (Drools' default) would hand one build another's module. The
 * text is compiled once, with the event processing mode the rule set needs.
 */
record KieBaseBuild(Results results, Optional<KieBase> kieBase) {

  private static final String GROUP = "io.vigil.drl";

  static KieBaseBuild of(String drl, String packageName, boolean stream) {
    KieServices services = KieServices.Factory.get();
    ReleaseId id = services.newReleaseId(GROUP, "rule-set", "1.0.0-" + UUID.randomUUID());
    KieModuleModel module = services.newKieModuleModel();
    module
        .newKieBaseModel("rules")
        .setDefault(true)
        .setEventProcessingMode(
            stream ? EventProcessingOption.STREAM : EventProcessingOption.CLOUD);
    KieFileSystem files = services.newKieFileSystem();
    files.generateAndWritePomXML(id);
    files.writeKModuleXML(module.toXML());
    // In the folder of its package, as Drools expects (else it warns on every build).
    files.write("src/main/resources/" + packageName.replace('.', '/') + "/rules.drl", drl);
    KieBuilder builder = services.newKieBuilder(files).buildAll();
    Results results = builder.getResults();
    if (results.hasMessages(Message.Level.ERROR)) {
      return new KieBaseBuild(results, Optional.empty());
    }
    try {
      return new KieBaseBuild(results, Optional.of(services.newKieContainer(id).getKieBase()));
    } finally {
      services.getRepository().removeKieModule(id);
    }
  }
}
