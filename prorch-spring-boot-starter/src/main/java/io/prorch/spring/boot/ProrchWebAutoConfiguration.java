package io.prorch.spring.boot;

import io.prorch.Orchestrator;
import io.prorch.web.Authorizer;
import io.prorch.web.ProrchWeb;
import io.prorch.web.WebRoutes;
import io.prorch.web.servlet.ProrchWebServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Mounts prorch-web's status page in the application's servlet container when prorch-web is on the class path and
 * {@code prorch.web.enabled=true} (off by default): bean {@code prorchWeb}, served by {@link ProrchWebServlet} (bean
 * {@code prorchWebServlet}) under {@code prorch.web.path} (default {@code /prorch}). Every {@link WebRoutes} bean is
 * served beside it, e.g. {@code ServicesRoutes.create(services)} for the services API.
 *
 * <p>The {@link Authorizer} bean, if there is exactly one, decides every operator action and registration; without
 * one, {@link Authorizer#denyAll()} does. Operator actions are served only with {@code prorch.web.actions-enabled=true}
 * and an Authorizer bean. A {@code ProrchWeb} bean of the application's own replaces this one.
 */
@AutoConfiguration(after = ProrchAutoConfiguration.class)
@ConditionalOnClass(name = {"io.prorch.web.servlet.ProrchWebServlet", "jakarta.servlet.Servlet"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnSingleCandidate(Orchestrator.class)
@ConditionalOnProperty(prefix = "prorch.web", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(ProrchWebProperties.class)
public class ProrchWebAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(ProrchWebAutoConfiguration.class);

    /**
     * @param orchestrator the pipelines shown
     * @param properties {@code prorch.web.actions-enabled}
     * @param authorizers the application's Authorizer, if it has exactly one
     * @param routes the application's WebRoutes beans, in their order
     * @return the page
     */
    @Bean
    @ConditionalOnMissingBean
    public ProrchWeb prorchWeb(Orchestrator orchestrator, ProrchWebProperties properties,
            ObjectProvider<Authorizer> authorizers, ObjectProvider<WebRoutes> routes) {
        ProrchWeb.Builder builder = ProrchWeb.builder(orchestrator);
        Authorizer authorizer = authorizers.getIfUnique();
        if (authorizer != null) {
            builder.authorizer(authorizer);
        } else if (properties.isActionsEnabled()) {
            LOG.warn("prorch-web: prorch.web.actions-enabled=true but the context has no single "
                    + "io.prorch.web.Authorizer bean; operator actions stay off until you define one");
        }
        builder.actionsEnabled(properties.isActionsEnabled() && authorizer != null);
        routes.orderedStream().forEach(builder::routes);
        return builder.build();
    }

    /**
     * @param web the page
     * @param properties {@code prorch.web.path}
     * @return the servlet, mapped to {@code path/*}
     * @throws IllegalArgumentException if {@code prorch.web.path} does not start with {@code /}
     */
    @Bean
    @ConditionalOnMissingBean(name = "prorchWebServlet")
    public ServletRegistrationBean<ProrchWebServlet> prorchWebServlet(ProrchWeb web, ProrchWebProperties properties) {
        String path = properties.getPath() == null ? "" : properties.getPath().trim();
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("prorch.web.path must start with /, such as /prorch, but was \""
                    + path + "\"");
        }
        String mount = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        ServletRegistrationBean<ProrchWebServlet> servlet = new ServletRegistrationBean<>(new ProrchWebServlet(web),
                mount + "/*");
        servlet.setName("prorchWeb");
        return servlet;
    }
}
