"""Simulations run in the background: a bounded queue of jobs, each reporting its progress.

A request checks who asks and what is asked before a job is queued (so a refusal is answered at
once), then one worker thread runs the jobs in turn — NumPy releases the interpreter while it
simulates, so the pages stay quick. A job is seen only by the login that started it (for anyone
else it is not on file) and is kept in this process's memory: the newest KEPT jobs, forgotten
on restart. At most QUEUED jobs wait or run at once; another is refused until one finishes.
"""

import secrets
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from openaso.analytics.simulate import Simulation
from openaso.services.access import Principal
from openaso.services.analysis import SIMULATION_ROLES, AnalysisError, require_analyst
from openaso.services.ports import UnitOfWorkFactory
from openaso.services.simulation import SimulationInputs, check_inputs, run_simulation
from openaso.services.workbench import NotFoundError

QUEUED = 4
KEPT = 100


class BusyError(Exception):
    """Too many simulations are waiting: try again when one has finished."""


@dataclass(frozen=True, slots=True)
class JobStatus:
    id: str
    sponsor_id: str
    state: str  # queued | running | done | failed
    done: int  # years simulated so far
    years: int
    result: Simulation | None = None
    error: str | None = None

    @property
    def percent(self) -> int:
        return 100 if self.state == "done" else self.done * 100 // self.years

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


class SimulationJobs:
    def __init__(self, new_uow: UnitOfWorkFactory, workers: int = 1) -> None:
        self.new_uow = new_uow
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="simulation")
        self._jobs: OrderedDict[str, tuple[str, JobStatus]] = OrderedDict()  # id: (owner, status)
        self._lock = threading.Lock()

    def submit(self, principal: Principal, sponsor_id: str, inputs: SimulationInputs) -> JobStatus:
        require_analyst(self.new_uow, principal, sponsor_id, SIMULATION_ROLES)
        check_inputs(inputs)
        job = JobStatus(secrets.token_hex(16), sponsor_id, "queued", 0, inputs.years)
        with self._lock:
            waiting = sum(not status.finished for _, status in self._jobs.values())
            if waiting >= QUEUED:
                raise BusyError(f"{waiting} simulations are waiting; try again in a moment")
            self._jobs[job.id] = (principal.login, job)
            while len(self._jobs) > KEPT:
                oldest = next(i for i, (_, s) in self._jobs.items() if s.finished or i == job.id)
                if oldest == job.id:
                    break  # every other job still runs: keep them all
                del self._jobs[oldest]
        self.executor.submit(self._run, principal, job, inputs)
        return job

    def status(self, principal: Principal, job_id: str) -> JobStatus:
        with self._lock:
            found = self._jobs.get(job_id)
        if found is None or found[0] != principal.login:
            raise NotFoundError(f"no simulation {job_id} of yours on file")
        require_analyst(self.new_uow, principal, found[1].sponsor_id, SIMULATION_ROLES)
        return found[1]

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            owner, status = self._jobs[job_id]
            self._jobs[job_id] = (owner, replace(status, **changes))  # type: ignore[arg-type]

    def _run(self, principal: Principal, job: JobStatus, inputs: SimulationInputs) -> None:
        self._update(job.id, state="running")
        try:
            result = run_simulation(
                self.new_uow, principal, job.sponsor_id, inputs,
                lambda done, _: self._update(job.id, done=done),
            )  # fmt: skip
        except (AnalysisError, PermissionError, NotFoundError) as exc:
            self._update(job.id, state="failed", error=str(exc))
        except Exception as exc:  # a worker thread must report, not die silently
            self._update(job.id, state="failed", error=f"the simulation failed: {exc}")
            raise
        else:
            self._update(job.id, state="done", done=job.years, result=result)
