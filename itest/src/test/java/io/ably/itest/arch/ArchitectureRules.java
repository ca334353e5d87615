package io.ably.itest.arch;

import static com.tngtech.archunit.lang.SimpleConditionEvent.violated;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static java.util.stream.Collectors.joining;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaTypeVariable;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.net.URLConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The project's architecture rules as ArchUnit rules, parameterised by the packages they govern so
 * that {@link ArchitectureTest} applies them to the real modules and {@link
 * ArchitectureRulesCatchViolationsTest} proves each one fails on a deliberately bad sample.
 *
 * <p>Every rule is evaluated on classes imported from explicit locations; none of them looks
 * anything up through a class loader except the JDK types ArchUnit resolves on its own.
 */
final class ArchitectureRules {
  /** Libraries whose types must never appear in a published signature. */
  static final List<String> IMPLEMENTATION_LIBRARIES =
      List.of("io.netty..", "com.alibaba.fastjson2..", "org.msgpack..");

  /** What the API module may depend on besides itself: the JDK and annotation-only OSGi jars. */
  static final List<String> API_ALLOWED_DEPENDENCIES = List.of("java..", "org.osgi.annotation..");

  /** The {@code Object} methods that wait on or signal a monitor, as name(parameter types). */
  private static final Set<String> MONITOR_METHODS =
      Set.of("wait()", "wait(long)", "wait(long, int)", "notify()", "notifyAll()");

  /**
   * Types that are public or protected, as are all their enclosing types, and neither local nor
   * anonymous: the types a user of an exported package can name.
   */
  static final DescribedPredicate<JavaClass> EFFECTIVELY_PUBLIC =
      DescribedPredicate.describe("are effectively public", ArchitectureRules::isEffectivelyPublic);

  private ArchitectureRules() {}

  /** No method in {@code packages} is declared {@code synchronized}. */
  static ArchRule noSynchronizedMethods(String packages) {
    return classes()
        .that()
        .resideInAPackage(packages)
        .should(
            new ArchCondition<JavaClass>("declare no synchronized methods") {
              @Override
              public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaMethod method : javaClass.getMethods()) {
                  if (method.getModifiers().contains(JavaModifier.SYNCHRONIZED)) {
                    events.add(
                        violated(
                            method,
                            method.getDescription()
                                + " is synchronized in "
                                + method.getSourceCodeLocation()));
                  }
                }
              }
            });
  }

  /**
   * No method in {@code packages} contains a {@code synchronized} block. ArchUnit does not model
   * these, so the class file is read with ASM and searched for {@code MONITORENTER}.
   */
  static ArchRule noSynchronizedBlocks(String packages) {
    return classes()
        .that()
        .resideInAPackage(packages)
        .should(
            new ArchCondition<JavaClass>("contain no synchronized blocks (MONITORENTER)") {
              @Override
              public void check(JavaClass javaClass, ConditionEvents events) {
                if (javaClass.getSource().isEmpty()) {
                  events.add(
                      violated(
                          javaClass,
                          javaClass.getName()
                              + " has no class file source, so its bytecode cannot be searched"));
                  return;
                }
                URI uri = javaClass.getSource().get().getUri();
                for (String place : monitorEnters(uri)) {
                  events.add(
                      violated(
                          javaClass,
                          "synchronized block (MONITORENTER) in "
                              + javaClass.getName()
                              + "."
                              + place));
                }
              }
            });
  }

  /** No code in {@code packages} calls or references {@code Object.wait/notify/notifyAll}. */
  static ArchRule noWaitOrNotify(String packages) {
    return classes()
        .that()
        .resideInAPackage(packages)
        .should(
            new ArchCondition<JavaClass>("call no Object.wait/notify/notifyAll") {
              @Override
              public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaCodeUnitAccess<?> access : javaClass.getCodeUnitAccessesFromSelf()) {
                  CodeUnitAccessTarget target = access.getTarget();
                  String signature =
                      target.getName()
                          + target.getRawParameterTypes().stream()
                              .map(JavaClass::getName)
                              .collect(joining(", ", "(", ")"));
                  if (MONITOR_METHODS.contains(signature)) {
                    events.add(violated(access, access.getDescription()));
                  }
                }
              }
            });
  }

  /** No class in {@code packages} depends on {@code java.util.concurrent.locks}. */
  static ArchRule noLocks(String packages) {
    return classes()
        .that()
        .resideInAPackage(packages)
        .should(
            dependOnNoClassThat(
                JavaClass.Predicates.resideInAPackage("java.util.concurrent.locks.."), Set.of()));
  }

  /** No class in {@code packages} declares a volatile field, except the boundary classes. */
  static ArchRule noVolatileFieldsOutside(String packages, Set<String> boundaryClasses) {
    return classes()
        .that()
        .resideInAPackage(packages)
        .should(
            new ArchCondition<JavaClass>(
                "declare no volatile fields, unless one of the boundary classes %s",
                boundaryClasses) {
              @Override
              public void check(JavaClass javaClass, ConditionEvents events) {
                if (boundaryClasses.contains(javaClass.getName())) {
                  return;
                }
                for (JavaField field : javaClass.getFields()) {
                  if (field.getModifiers().contains(JavaModifier.VOLATILE)) {
                    events.add(
                        violated(
                            field,
                            field.getDescription()
                                + " is volatile in "
                                + field.getSourceCodeLocation()));
                  }
                }
              }
            });
  }

  /**
   * No class in {@code packages} uses {@code java.util.concurrent.atomic} or {@code VarHandle} (an
   * atomic by other means), except the boundary classes.
   */
  static ArchRule noAtomicsOutside(String packages, Set<String> boundaryClasses) {
    DescribedPredicate<JavaClass> atomics =
        JavaClass.Predicates.resideInAPackage("java.util.concurrent.atomic..")
            .or(JavaClass.Predicates.equivalentTo(VarHandle.class));
    return classes()
        .that()
        .resideInAPackage(packages)
        .should(dependOnNoClassThat(atomics, boundaryClasses));
  }

  /**
   * No effectively public type in the given (exactly named) packages mentions a Netty, fastjson2 or
   * msgpack type in its public or protected signature: supertypes and their type arguments, type
   * parameter bounds, field types, and method and constructor parameter, return, throws and type
   * parameter types, including members inherited from supertypes.
   */
  static ArchRule publishedSignaturesHideImplementationLibraries(Collection<String> packages) {
    DescribedPredicate<JavaClass> forbidden =
        JavaClass.Predicates.resideInAnyPackage(IMPLEMENTATION_LIBRARIES.toArray(new String[0]));
    return classes()
        .that()
        .resideInAnyPackage(packages.toArray(new String[0]))
        .should(
            new ArchCondition<JavaClass>(
                "mention no type of %s in a public signature, if effectively public",
                IMPLEMENTATION_LIBRARIES) {
              @Override
              public void check(JavaClass javaClass, ConditionEvents events) {
                if (!EFFECTIVELY_PUBLIC.test(javaClass)) {
                  return;
                }
                for (Exposure exposure : exposures(javaClass)) {
                  for (JavaClass raw : exposure.type.getAllInvolvedRawTypes()) {
                    JavaClass base = raw.getBaseComponentType();
                    if (forbidden.test(base)) {
                      events.add(
                          violated(
                              javaClass,
                              javaClass.getName()
                                  + " exposes "
                                  + base.getName()
                                  + " in "
                                  + exposure.where));
                    }
                  }
                }
              }
            });
  }

  /** Classes in {@code ownPackages} depend only on themselves, the JDK and OSGi annotations. */
  static ArchRule dependOnlyOnTheJdk(String ownPackages) {
    List<String> allowed = new ArrayList<>(API_ALLOWED_DEPENDENCIES);
    allowed.add(ownPackages);
    return classes()
        .that()
        .resideInAPackage(ownPackages)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(allowed.toArray(new String[0]));
  }

  private static boolean isEffectivelyPublic(JavaClass javaClass) {
    JavaClass current = javaClass;
    while (true) {
      if (current.isAnonymousClass() || current.isLocalClass() || !isVisible(current)) {
        return false;
      }
      if (current.getEnclosingClass().isEmpty()) {
        return true;
      }
      current = current.getEnclosingClass().get();
    }
  }

  private static boolean isVisible(JavaClass javaClass) {
    Set<JavaModifier> modifiers = javaClass.getModifiers();
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  private static boolean isVisible(JavaMember member) {
    Set<JavaModifier> modifiers = member.getModifiers();
    return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
  }

  /** One type that a published type shows to its users, and where it shows it. */
  private static final class Exposure {
    final JavaType type;
    final String where;

    Exposure(JavaType type, String where) {
      this.type = type;
      this.where = where;
    }
  }

  private static List<Exposure> exposures(JavaClass javaClass) {
    List<Exposure> exposures = new ArrayList<>();
    javaClass
        .getSuperclass()
        .ifPresent(superclass -> exposures.add(new Exposure(superclass, "its superclass")));
    for (JavaType anInterface : javaClass.getInterfaces()) {
      exposures.add(new Exposure(anInterface, "its interface " + anInterface.getName()));
    }
    for (JavaTypeVariable<JavaClass> variable : javaClass.getTypeParameters()) {
      exposures.add(new Exposure(variable, "its type parameter " + variable.getName()));
    }
    for (JavaField field : javaClass.getAllFields()) {
      if (isVisible(field)) {
        exposures.add(new Exposure(field.getType(), field.getDescription()));
      }
    }
    Set<JavaCodeUnit> codeUnits = new LinkedHashSet<>(javaClass.getAllMethods());
    codeUnits.addAll(javaClass.getConstructors());
    for (JavaCodeUnit codeUnit : codeUnits) {
      if (!isVisible(codeUnit)) {
        continue;
      }
      String where = codeUnit.getDescription();
      exposures.add(new Exposure(codeUnit.getReturnType(), where + ", return type"));
      for (JavaType parameter : codeUnit.getParameterTypes()) {
        exposures.add(new Exposure(parameter, where + ", parameter type"));
      }
      for (JavaClass thrown : codeUnit.getThrowsClause().getTypes()) {
        exposures.add(new Exposure(thrown, where + ", throws clause"));
      }
      for (JavaTypeVariable<?> variable : codeUnit.getTypeParameters()) {
        exposures.add(new Exposure(variable, where + ", type parameter " + variable.getName()));
      }
    }
    return exposures;
  }

  /** The condition that no class (outside {@code exempt}) depends on a class matching target. */
  private static ArchCondition<JavaClass> dependOnNoClassThat(
      DescribedPredicate<JavaClass> target, Set<String> exempt) {
    String description = "depend on no class that " + target.getDescription();
    if (!exempt.isEmpty()) {
      description += ", unless one of the boundary classes " + exempt;
    }
    return new ArchCondition<JavaClass>(description) {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        if (exempt.contains(javaClass.getName())) {
          return;
        }
        for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
          if (target.test(dependency.getTargetClass().getBaseComponentType())) {
            events.add(violated(dependency, dependency.getDescription()));
          }
        }
      }
    };
  }

  /** Returns "method(descriptor) line N" for every MONITORENTER in the class file at uri. */
  private static Set<String> monitorEnters(URI uri) {
    byte[] bytes;
    try {
      URLConnection connection = uri.toURL().openConnection();
      connection.setUseCaches(false);
      try (InputStream in = connection.getInputStream()) {
        bytes = in.readAllBytes();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read class file " + uri, e);
    }
    Set<String> places = new TreeSet<>();
    new ClassReader(bytes)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String descriptor, String signature, String[] thrown) {
                return new MethodVisitor(Opcodes.ASM9) {
                  private int line = -1;

                  @Override
                  public void visitLineNumber(int lineNumber, Label start) {
                    line = lineNumber;
                  }

                  @Override
                  public void visitInsn(int opcode) {
                    if (opcode == Opcodes.MONITORENTER) {
                      places.add(name + descriptor + " line " + line);
                    }
                  }
                };
              }
            },
            ClassReader.SKIP_FRAMES);
    return places;
  }
}
