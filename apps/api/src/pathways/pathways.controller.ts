import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { patientIdSchema } from '@tandem/domain';
import { Allow } from '../auth/auth.guard';
import { PATIENT_WORK_ROLES } from '../auth/roles';
import { ZodPipe } from '../common/zod-pipe';
import { LOADS_HISTORY } from '../events/authorship';
import type { PathwayResponse, SymptomsResponse } from './pathways.schemas';
import { PathwaysService } from './pathways.service';

/** A patient's pathway: the workflow's projection of its state (the single writer), task ids and the timeline from PostgreSQL. */
@Controller('api/v1/patients')
@Allow(...PATIENT_WORK_ROLES)
export class PathwaysController {
  constructor(@Inject(PathwaysService) private readonly pathways: PathwaysService) {}

  @Get(':patientId/pathway')
  pathway(@Param('patientId', new ZodPipe(patientIdSchema, 'patient id')) patientId: string): Promise<PathwayResponse> {
    return this.pathways.pathway(patientId);
  }

  /** A history loaded for the patient is all in: a pathway catching up with it comes to the present (ADR 0019). */
  @Post(':patientId/pathway/history-loaded')
  @Allow(...LOADS_HISTORY)
  @HttpCode(202)
  historyLoaded(@Param('patientId', new ZodPipe(patientIdSchema, 'patient id')) patientId: string): Promise<{ status: 'told' | 'ended' }> {
    return this.pathways.historyLoaded(patientId);
  }

  /** Every PROM response over time (the symptom trajectories), with the policy's severity bands. */
  @Get(':patientId/symptoms')
  symptoms(@Param('patientId', new ZodPipe(patientIdSchema, 'patient id')) patientId: string): Promise<SymptomsResponse> {
    return this.pathways.symptoms(patientId);
  }
}
