package io.prorch.test.contract;

import io.prorch.repository.IRepository;
import org.junit.jupiter.api.BeforeEach;

/**
 * The definition of a correct {@link IRepository}. Extend it, return a fresh, empty repository from
 * {@link #newRepository()}, and every test here runs against your store. The tests are grouped by topic in the
 * superclasses {@link RecordContract}, {@link BatchContract}, {@link ClaimContract}, {@link SignalContract},
 * {@link OperationsContract} and {@link LimitedClaimContract}.
 *
 * <pre>{@code
 * class MyRepositoryContractTest extends RepositoryContractTest {
 *     protected IRepository newRepository() { return new MyRepository(...); }
 * }
 * }</pre>
 */
public abstract class RepositoryContractTest extends SignalContract {
    /** @return a new, empty repository; called once before every test */
    protected abstract IRepository newRepository();

    /** @return {@link #repo} */
    @Override
    protected final IRepository repository() {
        return repo;
    }

    /** Creates the repository under test. */
    @BeforeEach
    void createRepository() {
        repo = newRepository();
    }
}
