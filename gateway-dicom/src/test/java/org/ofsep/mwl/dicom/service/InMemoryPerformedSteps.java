package org.ofsep.mwl.dicom.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ofsep.mwl.core.domain.PerformedStep;
import org.ofsep.mwl.core.store.PerformedStepService;

/** The PerformedStepService state rules (PS3.4 F.7.2) over a map, for DICOM tests. */
public final class InMemoryPerformedSteps implements PerformedStepService {

    public final Map<String, PerformedStep> steps = new ConcurrentHashMap<>();
    public final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public synchronized Result create(PerformedStep step) {
        calls.add("create " + step.status());
        if (steps.containsKey(step.sopInstanceUid())) {
            return Result.DUPLICATE_INSTANCE;
        }
        if (!"IN PROGRESS".equals(step.status())) {
            return Result.INVALID_STATUS;
        }
        steps.put(step.sopInstanceUid(), step);
        return Result.OK;
    }

    @Override
    public synchronized Result update(PerformedStep step) {
        calls.add("update " + step.status());
        PerformedStep old = steps.get(step.sopInstanceUid());
        if (old == null) {
            return Result.NO_SUCH_INSTANCE;
        }
        if (!"IN PROGRESS".equals(old.status())) {
            return Result.NOT_IN_PROGRESS;
        }
        steps.put(step.sopInstanceUid(), step);
        return Result.OK;
    }

    @Override
    public Optional<PerformedStep> find(String sopInstanceUid) {
        return Optional.ofNullable(steps.get(sopInstanceUid));
    }
}
